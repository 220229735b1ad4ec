// Fuzz target: agent protocol frames and messages (ByteChannel, AgentMessages).
// Any crash, trap, hang or sanitizer report is a bug; see fuzz/README.md.
import CyrusFormats
import CyrusStore
import FuzzSupport

@testable import Remote

/// The files a `mailboxFiles` frame may answer "the one offered" for (fuzz/seeds.py makes a seed
/// with their digests).
let offer =
  (try? MailboxFileOffer(
    MailboxFiles(
      databasePath: "/var/lib/cyrus/mailboxes.db",
      database: .bytes(Array("fuzz: the offered mailboxes.db".utf8)),
      dumpPath: "/var/lib/cyrus/mailboxlist.txt",
      dump: .bytes(Array("fuzz: the offered mailboxlist.txt".utf8)), hashImapSpool: false,
      fullDirHash: true, deletedPrefix: "DELETED"))) ?? MailboxFileOffer()

runFuzzer { bytes in
  withInputFile(bytes) { fd in
    let channel = ByteChannel(input: fd, output: -1)
    var frames = 0
    // One decoder of each kind per input, as a session keeps them: paths are prefixes shared
    // with the previous frame of the same kind.
    var summaries = SummaryDecoder()
    var groups = GroupDecoder()
    while frames < 256, let frame = try? channel.receive() {
      frames += 1
      switch frame.kind {
      case .hello: _ = try? Hello(frame)
      case .open: _ = try? OpenRequest(frame)
      case .opened: _ = try? InstanceDescription(frame)
      case .error: _ = try? ErrorMessage(frame)
      case .end: _ = try? EndMessage(frame)
      case .summary: _ = try? summaries.decode(frame)
      case .group: _ = try? groups.decode(frame)
      case .mailboxFiles:
        _ = try? MailboxFilesCodec.read(frame, offer: offer) {
          guard let next = try channel.receive() else { throw CancellationError() }
          return next
        }
      default: break
      }
    }
  }
}
