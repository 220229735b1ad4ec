/// The two directions of shell quoting the SSH transport needs, without ever running a shell
/// locally.
public enum ShellWords {
  /// Splits an rsync-style `--ssh` value (`ssh -p 2222 -i "my key"`) into argv: whitespace
  /// separates words; single quotes, double quotes and backslash quote as in the shell. No
  /// expansion of any kind happens.
  public static func split(_ line: String) throws(RemoteError) -> [String] {
    var words: [String] = []
    var word = ""
    var inWord = false
    var quote: Character?
    var escaped = false
    for character in line {
      if escaped {
        word.append(character)
        escaped = false
        continue
      }
      if let open = quote {
        if character == open {
          quote = nil
        } else if character == "\\" && open == "\"" {
          escaped = true
        } else {
          word.append(character)
        }
        continue
      }
      if character == "\\" {
        escaped = true
        inWord = true
      } else if character == "'" || character == "\"" {
        quote = character
        inWord = true
      } else if character.isWhitespace {
        if inWord { words.append(word) }
        word = ""
        inWord = false
      } else {
        word.append(character)
        inWord = true
      }
    }
    guard quote == nil, !escaped else {
      throw RemoteError(.transport, "--ssh: unterminated quote or trailing backslash in '\(line)'")
    }
    if inWord { words.append(word) }
    guard !words.isEmpty else { throw RemoteError(.transport, "--ssh is empty") }
    return words
  }

  /// Quotes one word for the remote POSIX shell that `ssh` hands its command line to: in single
  /// quotes, each `'` written as `'\''`.
  public static func quote(_ word: String) -> String {
    "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }
}
