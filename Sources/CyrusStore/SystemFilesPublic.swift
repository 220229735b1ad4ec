/// The bounded file reads of this module, for the verification stages that read a small file
/// of an instance (mailboxlist.txt) without walking.
public enum SystemFilesPublic {
  /// Reads a whole file of at most `limit` bytes.
  public static func readFile(_ path: String, limit: Int) throws(CyrusStoreError) -> [UInt8] {
    try SystemFiles.readFile(path, limit: limit)
  }

  /// The kind of object at `path` (following links), or the error.
  public static func kind(of path: String) -> Result<EntryKind, CyrusStoreError> {
    SystemFiles.kind(of: path)
  }
}
