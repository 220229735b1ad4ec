#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What the walks of one side share across areas: the hard-link table, the name caches, and
/// the content hasher with its one read buffer (for reads on the walking thread).
final class WalkState {
  /// Resolves uid/gid to names once each.
  let names = AccountNames()
  /// Hashes file contents on the walking thread (``WalkOptions/hashJobs`` 1).
  let hasher: ContentHasher
  /// First location seen for each multiply-linked inode. It holds only files with more than one
  /// link (Cyrus's single-instance store), not every message.
  private var leaders: [InodeKey: String] = [:]

  private struct InodeKey: Hashable {
    var device: UInt64
    var inode: UInt64
  }

  init(options: WalkOptions) {
    hasher = ContentHasher(
      bufferSize: options.readBufferSize, beforeOpening: options.beforeHashing)
  }

  /// The first location of the inode, recording `location` if it is the first.
  func leader(device: UInt64, inode: UInt64, location: String) -> String {
    let key = InodeKey(device: device, inode: inode)
    if let first = leaders[key] { return first }
    leaders[key] = location
    return location
  }
}

/// uid → user name and gid → group name, through `getpwuid_r`/`getgrgid_r`, cached.
final class AccountNames {
  private var users: [UInt32: String?] = [:]
  private var groups: [UInt32: String?] = [:]
  /// The last uid and gid asked for and their names: a spool has one owner, so the walk asks
  /// for the same ones entry after entry.
  private var lastUser: (uid: UInt32, name: String?)?
  private var lastGroup: (gid: UInt32, name: String?)?

  func user(_ uid: uid_t) -> String? {
    if let lastUser, lastUser.uid == uid { return lastUser.name }
    let name = lookUpUser(uid)
    lastUser = (uid, name)
    return name
  }

  func group(_ gid: gid_t) -> String? {
    if let lastGroup, lastGroup.gid == gid { return lastGroup.name }
    let name = lookUpGroup(gid)
    lastGroup = (gid, name)
    return name
  }

  private func lookUpUser(_ uid: uid_t) -> String? {
    if let cached = users[uid] { return cached }
    var record = passwd()
    var result: UnsafeMutablePointer<passwd>?
    var buffer = [CChar](repeating: 0, count: 4096)
    let name: String? =
      getpwuid_r(uid, &record, &buffer, buffer.count, &result) == 0 && result != nil
      ? String(cString: record.pw_name) : nil
    users[uid] = name
    return name
  }

  private func lookUpGroup(_ gid: gid_t) -> String? {
    if let cached = groups[gid] { return cached }
    var record = SwiftGlibc.group()
    var result: UnsafeMutablePointer<SwiftGlibc.group>?
    var buffer = [CChar](repeating: 0, count: 4096)
    let name: String? =
      getgrgid_r(gid, &record, &buffer, buffer.count, &result) == 0 && result != nil
      ? String(cString: record.gr_name) : nil
    groups[gid] = name
    return name
  }
}
