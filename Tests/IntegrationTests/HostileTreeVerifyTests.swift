import Foundation
import TestSupport
import Testing

/// The tool itself on a failover tree made hostile in every way issue 13 lists for a tree:
/// FIFOs named like Cyrus files, a sparse mailboxes.db looping through DELETE records, a
/// cyrus.index announcing 2^32−1 records over a hole, a symlinked mailboxlist.txt, files of
/// 2^63−1 bytes. `verify` must finish with its report (exit 2: the failover's mailboxes.db
/// cannot be read to the end); `timeout` only guards against a hang (it decides nothing unless
/// the tool hangs, which is the failure).
@Suite struct HostileTreeVerifyTests {
  /// Makes a root with etc/imapd.conf, config dir and spool; on tmpfs when `huge`.
  func instance(at root: String) throws {
    let conf =
      "configdirectory: /var/lib/cyrus\npartition-default: /var/spool/cyrus/mail\n"
      + "sievedir: /var/spool/sieve\n"
    for directory in ["etc", "var/lib/cyrus", "var/spool/cyrus/mail/user/anna"] {
      try FileManager.default.createDirectory(
        atPath: root + "/" + directory, withIntermediateDirectories: true)
    }
    try Data(conf.utf8).write(to: URL(fileURLWithPath: root + "/etc/imapd.conf"))
    try Data("hello\r\n".utf8).write(
      to: URL(fileURLWithPath: root + "/var/spool/cyrus/mail/user/anna/1."))
  }

  /// The hostile files, written by a small Python script (zlib's CRC-32 is twoskip's).
  static let plant = #"""
    import os, struct, sys, zlib
    root = sys.argv[1]
    cfg, spool = root + "/var/lib/cyrus", root + "/var/spool/cyrus/mail"
    def sparse(path, size, head=b""):
        with open(path, "wb") as f:
            f.truncate(size)
            f.write(head)
    def rec(kind, level, nxt):
        head = bytes([ord(kind), level]) + b"\0" * 6
        head += b"".join(struct.pack(">Q", nxt if i == 0 else 0) for i in range(level + 1))
        return head + struct.pack(">II", zlib.crc32(head), zlib.crc32(b""))
    first = 64 + len(rec("=", 31, 0)); second = first + 24
    body = rec("=", 31, first) + rec("-", 0, second) + rec("-", 0, first)
    size = 64 << 20  # under the 1 GiB a mailboxes.db may have, so that it is read
    head = b"\xa1\x02\x8b\x0dtwoskip file\0\0\0\0" + struct.pack(">IQQQQI", 1, 1, 0, 0, size, 0)
    sparse(cfg + "/mailboxes.db", size, head + struct.pack(">I", zlib.crc32(head)) + body)
    os.mkfifo(spool + "/user/anna/cyrus.header")
    index = struct.pack(">IIIIIIIIQIIIIIIIQ", 1, 0, 10, 96, 88, 0xFFFFFFFF, 0, 0xFFFFFFFF,
                        0, 0, 77, 0, 0, 0, 0, 0, 1)
    sparse(spool + "/user/anna/cyrus.index", 96 + 88 * 0xFFFFFFFF, index + b"\0" * 20)
    os.symlink("/etc/passwd", cfg + "/mailboxlist.txt")
    for name in ("2.", "3.", "4."):
        sparse(spool + "/user/anna/" + name, (1 << 63) - 1, b"x")
    """#

  /// The hostile failover walked here, and by the agent over the test sshd (where a hang would
  /// leave the agent stuck after the local side gave up): the same findings, exit 2.
  @Test(arguments: [false, true])
  func verifyOfAHostileTreeFinishes(overSSH: Bool) throws {
    let primary = try TemporaryDirectory(prefix: "cyrus-failover-hostile-primary")
    let failover = "/dev/shm/cyrus-failover-hostile-" + UUID().uuidString
    defer { try? FileManager.default.removeItem(atPath: failover) }
    try instance(at: primary.path)
    try instance(at: failover)
    try TestPrograms.must(["python3", "-c", Self.plant, failover])
    let server = overSSH ? try SSHServer() : nil
    var side = [failover]
    if let server {
      side = [
        "127.0.0.1:" + failover, "--ssh", server.sshOption(), "--remote-command", Tool.executable,
      ]
    }
    let result = try TestPrograms.run(
      ["timeout", "300", Tool.executable, "verify", "--primary", primary.path, "--failover"]
        + side + ["--level", "full", "--format", "json", "--no-progress"])
    #expect(result.status == 2, "\(result.stderr)")
    let report = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let findings = (report["findings"] as? [[String: Any]]) ?? []
    let text = findings.map { "\($0["code"] ?? "") \($0["path"] ?? "") \($0["detail"] ?? "")" }
    #expect(text.contains { $0.contains("loop through DELETE records") })
    #expect(text.contains("symlink.outside-area mailboxlist.txt "))
    #expect(text.contains("file.special user/anna/cyrus.header fifo"))
    #expect(
      text.filter { $0.hasPrefix("file.unreadable user/anna/") && $0.contains("sparse file") }
        .count == 4)
  }

  /// A seen file (skiplist) whose committed log ADDs 40 keys with 64 MiB values lying in holes:
  /// 2.5 GiB if the log replay held its values, a few KiB on disk. Under a 2 GiB address-space
  /// limit the tool must still finish: the replay holds keys and offsets, and reads each value
  /// when it goes out.
  static let plantSeen = #"""
    import struct, sys
    path = sys.argv[1]
    maxlevel, big = 20, 64 << 20
    dummy = struct.pack(">III", 257, 0, 0) + b"\0" * (4 * maxlevel) + struct.pack(">I", 0xFFFFFFFF)
    logstart = 48 + len(dummy)
    header = b"\xa1\x02\x8b\x0dskiplist file\0\0\0" + struct.pack(
        ">IIIIIII", 1, 2, maxlevel, 1, 0, logstart, 0)
    with open(path, "wb") as f:
        f.write(header + dummy)
        offset = logstart
        for i in range(40):
            f.seek(offset)
            f.write(struct.pack(">II", 2, 4) + b"k%03d" % i + struct.pack(">I", big))
            offset += 16 + big
            f.seek(offset)
            f.write(struct.pack(">II", 0, 0xFFFFFFFF))
            offset += 8
        f.seek(offset)
        f.write(struct.pack(">I", 255))
    """#

  @Test func seenLogWithHugeHoleValuesStaysWithinTwoGiB() throws {
    let primary = try TemporaryDirectory(prefix: "cyrus-failover-hostile-primary")
    let failover = try TemporaryDirectory(prefix: "cyrus-failover-hostile-failover")
    try instance(at: primary.path)
    try instance(at: failover.path)
    let seen = failover.path + "/var/lib/cyrus/user/a/anna.seen"
    for root in [primary.path, failover.path] {
      try FileManager.default.createDirectory(
        atPath: root + "/var/lib/cyrus/user/a", withIntermediateDirectories: true)
    }
    try TestPrograms.must(["python3", "-c", Self.plantSeen, seen])
    let command =
      "ulimit -v 2097152; exec timeout 300 \"$0\" verify --primary \"$1\" --failover \"$2\""
      + " --level meta --format json --no-progress"
    let result = try TestPrograms.run([
      "sh", "-c", command, Tool.executable, primary.path, failover.path,
    ])
    #expect(result.status == 2, "\(result.stderr)")
    #expect(result.stdout.contains("user/a/anna.seen"))
  }
}
