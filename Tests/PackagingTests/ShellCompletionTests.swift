import Foundation
import TestSupport
import Testing

/// The packaged completion scripts load in their shells and complete the tool's words.
@Suite struct ShellCompletionTests {
  @Test func bashCompletesSubcommandsAndOptions() throws {
    let deb = try PackagedDeb.shared.get()
    let script = deb.file("usr/share/bash-completion/completions/cyrus-failover")
    // As bash-completion does: source the script, then call the function `complete` names with
    // the words typed so far.
    let complete = { (words: [String]) throws -> [String] in
      let line = words.joined(separator: " ")
      let result = try TestPrograms.must(
        [
          "bash", "-c",
          """
          source "$1" && complete -p cyrus-failover >&2 || exit 1
          shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
          _cyrus-failover cyrus-failover "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
          printf '%s\\n' "${COMPREPLY[@]}"
          """,
          "bash", script,
        ] + words)
      #expect(result.stderr.contains("-F _cyrus-failover cyrus-failover"), "\(line)")
      return result.stdout.split(separator: "\n").map(String.init)
    }
    #expect(try complete(["cyrus-failover", "ver"]).sorted() == ["verify", "verify-sign-off"])
    #expect(try complete(["cyrus-failover", "prom"]) == ["promote"])
    #expect(try complete(["cyrus-failover", "verify", "--nag"]) == ["--nagios"])
    #expect(
      try complete(["cyrus-failover", "verify", "--format", ""]).sorted() == [
        "json", "junit", "text",
      ])
  }

  @Test func zshRegistersTheCompletionFunction() throws {
    let deb = try PackagedDeb.shared.get()
    let directory = deb.file("usr/share/zsh/vendor-completions")
    try TestPrograms.must(["zsh", "-n", directory + "/_cyrus-failover"])
    let result = try TestPrograms.must([
      "zsh", "-f", "-c",
      """
      fpath=("$1" $fpath); autoload -U compinit && compinit -u -D
      print -r -- "${_comps[cyrus-failover]}"; autoload +X _cyrus-failover && whence -w _cyrus-failover
      """,
      "zsh", directory,
    ])
    #expect(result.stdout == "_cyrus-failover\n_cyrus-failover: function\n")
  }

  @Test func fishCompletesSubcommands() throws {
    let deb = try PackagedDeb.shared.get()
    let script = deb.file("usr/share/fish/vendor_completions.d/cyrus-failover.fish")
    try TestPrograms.must(["fish", "--no-execute", script])
    let result = try TestPrograms.must([
      "fish", "--no-config", "-c", "source $argv[1]; complete -C 'cyrus-failover ver'", script,
    ])
    #expect(result.stdout.hasPrefix("verify\t"), "\(result.stdout)")
  }
}
