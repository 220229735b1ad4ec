internal import CBerkeleyDB

/// Collects the messages libdb sends to a handle's error callback, so that they end up in a
/// `BerkeleyError` instead of this process's stderr; informational messages (libdb's stdout
/// channel, for example verify's page dumps) are dropped.
///
/// One log belongs to one handle and must outlive it: the handle stores an unretained pointer to
/// it in its private `DB_ENV` (`app_private`).
final class BerkeleyMessageLog {
  /// At most this many messages are kept per failed call; later ones are counted only.
  static let capacity = 8
  /// Longer messages are cut to this many bytes.
  static let maximumMessageBytes = 512

  private(set) var messages: [String] = []
  private(set) var dropped = 0
  /// A name libdb uses in its messages, and the one to show instead.
  private let renaming: (from: String, to: String)?

  /// A log that replaces `renaming.from` in every message with `renaming.to`.
  init(renaming: (from: String, to: String)? = nil) {
    self.renaming = renaming.flatMap { $0.from == $0.to ? nil : $0 }
  }

  /// Routes `db`'s error and informational messages to this log.
  func attach(to db: UnsafeMutablePointer<DB>) {
    cbdb_route_messages(
      db, Unmanaged.passUnretained(self).toOpaque(), berkeleyErrorCallback,
      berkeleyMessageCallback)
  }

  func append(_ message: String) {
    guard messages.count < Self.capacity else {
      dropped += 1
      return
    }
    let shown = renaming.map { message.replacing($0.from, with: $0.to) } ?? message
    messages.append(String(decoding: shown.utf8.prefix(Self.maximumMessageBytes), as: UTF8.self))
  }

  /// Returns the collected messages and empties the log.
  func take() -> [String] {
    var result = messages
    if dropped > 0 { result.append("(\(dropped) more libdb messages)") }
    messages = []
    dropped = 0
    return result
  }
}

/// libdb's errcall: `(const DB_ENV *, const char *errpfx, const char *msg)`.
private func berkeleyErrorCallback(
  _ env: UnsafePointer<DB_ENV>?, _ prefix: UnsafePointer<CChar>?, _ message: UnsafePointer<CChar>?
) {
  guard let context = cbdb_env_context(env), let message else { return }
  let log = Unmanaged<BerkeleyMessageLog>.fromOpaque(context).takeUnretainedValue()
  log.append(String(cString: message))
}

/// libdb's msgcall: informational output, dropped on purpose.
private func berkeleyMessageCallback(
  _ env: UnsafePointer<DB_ENV>?, _ message: UnsafePointer<CChar>?
) {}
