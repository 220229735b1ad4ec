import Foundation
import Testing

/// Saved manifests are written and read strictly in sequence, so they go through a compressor
/// in a pipe (docs/remote.md): the answer is the same as from a plain file.
@Suite(.serialized) struct ManifestPipeTests {
  @Test func compressedManifestReadFromAPipeGivesTheSameFindings() throws {
    let corpus = try Corpus()
    let saved = corpus.directory + "/primary.cyfoman.gz"
    let plain = corpus.directory + "/primary.cyfoman"
    let tool = Tool.executable
    try Tool.must([
      "/bin/sh", "-c",
      "\"$0\" manifest --instance \"$1\" --level full --output - | gzip -9 > \"$2\"",
      tool, corpus.primary, saved,
    ])
    try Tool.must([
      tool, "manifest", "--instance", corpus.primary, "--level", "full", "--output", plain,
    ])
    let fromFile = try Tool.verify([
      "--primary-manifest", plain, "--failover", corpus.failover, "--level", "full",
    ])
    let piped = try Tool.run([
      "/bin/sh", "-c",
      "gzip -dc \"$1\" | \"$0\" verify --format json --no-progress --level full "
        + "--primary-manifest /dev/stdin --failover \"$2\"",
      tool, saved, corpus.failover,
    ])
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(piped.stdout.utf8)) as? [String: Any])
    let findings = Tool.findingObjects(object)
    #expect(piped.status == fromFile.status)
    #expect(findings.count == fromFile.findings.count)
    #expect(!findings.isEmpty)  // the example pair's broken hard links
    let original = Tool.findingObjects(fromFile.json)
    #expect(
      try JSONSerialization.data(withJSONObject: findings, options: .sortedKeys)
        == JSONSerialization.data(withJSONObject: original, options: .sortedKeys))
    let compressed = try FileManager.default.attributesOfItem(atPath: saved)[.size] as? Int ?? 0
    let uncompressed = try FileManager.default.attributesOfItem(atPath: plain)[.size] as? Int ?? 0
    #expect(compressed > 0 && compressed < uncompressed)
  }
}
