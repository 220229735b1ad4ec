@_spi(Fixtures) import BerkeleyDB
import Foundation
import Testing

@Suite("Paths that are not a readable database of the requested type")
struct OpenFailureTests {
  @Test(
    "a BTREE file opened as HASH, and HASH as BTREE: .wrongType naming both",
    arguments: [(BerkeleyAccessMethod.btree, BerkeleyAccessMethod.hash), (.hash, .btree)])
  func wrongType(actual: BerkeleyAccessMethod, requested: BerkeleyAccessMethod) throws {
    let directory = try TestDirectory()
    let path = directory.path("mailboxes.db")
    try BerkeleyFixtureWriter.write(
      path: path, accessMethod: actual, records: MailboxesFixture.records)
    let error = expectBerkeleyError(.wrongType, path: path) {
      _ = try BerkeleyDatabase(path: path, expecting: requested)
    }
    #expect(error?.code == EINVAL)
    #expect(error?.operation == "DB->open")
    #expect(
      error?.details.last == "the file is a \(actual) database; \(requested) was requested")
    #expect(
      error?.details.first?.contains("__db_meta_setup") == true,
      "libdb's own message is kept: \(String(describing: error?.details))")
    #expect(try BerkeleyDatabase(path: path, expecting: actual).accessMethod == actual)
  }

  @Test("a missing file: .notFound, ENOENT")
  func missing() throws {
    let directory = try TestDirectory()
    let path = directory.path("absent.db")
    let error = expectBerkeleyError(.notFound, path: path) { _ = try BerkeleyDatabase(path: path) }
    #expect(error?.code == ENOENT)
    #expect(error?.message == "No such file or directory")
  }

  @Test("a directory: .openFailed, EISDIR")
  func directory() throws {
    let directory = try TestDirectory()
    let path = directory.path("db")
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    let error = expectBerkeleyError(.openFailed, path: path) {
      _ = try BerkeleyDatabase(path: path)
    }
    #expect(error?.code == EISDIR)
  }

  @Test("a FIFO is refused before DB->open, which would block on it: .openFailed, ENODEV")
  func fifo() throws {
    let directory = try TestDirectory()
    let path = directory.path("fifo.db")
    #expect(mkfifo(path, 0o644) == 0)
    let error = expectBerkeleyError(.openFailed, path: path) {
      _ = try BerkeleyDatabase(path: path)
    }
    #expect(error?.code == ENODEV)
  }

  @Test(
    "an unreadable file, or one in an unsearchable directory: .permissionDenied, EACCES",
    .enabled(
      if: geteuid() != 0,
      "root has CAP_DAC_OVERRIDE: mode 000 does not stop it, so EACCES cannot be provoked"))
  func unreadable() throws {
    let directory = try TestDirectory()
    let path = directory.path("secret.db")
    try BerkeleyFixtureWriter.write(
      path: path, accessMethod: .btree, records: MailboxesFixture.records)
    #expect(chmod(path, 0) == 0)
    let error = expectBerkeleyError(.permissionDenied, path: path) {
      _ = try BerkeleyDatabase(path: path)
    }
    #expect(error?.code == EACCES)

    let locked = directory.path("locked")
    try FileManager.default.createDirectory(atPath: locked, withIntermediateDirectories: false)
    let inside = locked + "/mailboxes.db"
    try BerkeleyFixtureWriter.write(
      path: inside, accessMethod: .btree, records: MailboxesFixture.records)
    #expect(chmod(locked, 0) == 0)
    defer { _ = chmod(locked, 0o755) }
    expectBerkeleyError(.permissionDenied, path: inside) { _ = try BerkeleyDatabase(path: inside) }
  }

  @Test(
    "as root, a mode 000 file is simply read: permissions are no failure mode for root",
    .enabled(if: geteuid() == 0, "only root bypasses file permissions"))
  func rootReadsModeZero() throws {
    let directory = try TestDirectory()
    let path = directory.path("secret.db")
    try BerkeleyFixtureWriter.write(
      path: path, accessMethod: .hash, records: MailboxesFixture.records)
    #expect(chmod(path, 0) == 0)
    #expect(Set(try Files.readAll(path)) == Set(MailboxesFixture.records))
  }
}
