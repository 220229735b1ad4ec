/// What the verification stages may ask of the file system without walking: whether an
/// optional file of an instance (mailboxlist.txt) is there.
public enum SystemFilesPublic {
  /// The kind of object at `path` (following links), or the error.
  public static func kind(of path: String) -> Result<EntryKind, CyrusStoreError> {
    SystemFiles.kind(of: path)
  }
}
