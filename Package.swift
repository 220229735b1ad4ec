// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "cyrus-failover",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "cyrus-failover", targets: ["cyrus-failover"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
  ],
  targets: [
    /** Debian's libdb (Berkeley DB 5.3) as a C module; no pkg-config file exists, so it links "db". */
    .systemLibrary(name: "CBerkeleyDB", path: "Sources/CBerkeleyDB"),
    /** Owning, read-only Swift wrappers around Berkeley DB: the only place with unsafe C calls to libdb. */
    .target(name: "BerkeleyDB", dependencies: ["CBerkeleyDB"], exclude: ["README.md"]),
    /** Pure parsers from bytes: cyrusdb backends, mailboxes.db values, dumps, imapd.conf. */
    .target(name: "CyrusFormats"),
    /** One Cyrus instance on disk: paths from imapd.conf, the canonical walk of config dir and spool. */
    .target(
      name: "CyrusStore",
      dependencies: [
        "CyrusFormats", "BerkeleyDB", .product(name: "Crypto", package: "swift-crypto"),
      ]),
    /** Findings, the streaming merge-join of two manifests, and the report encoders. */
    .target(name: "Verification", dependencies: ["CyrusStore", "CyrusFormats"]),
    /** The agent protocol over SSH standard input/output, the SSH transport, saved manifests. */
    .target(
      name: "Remote",
      dependencies: [
        "Verification", "CyrusStore", .product(name: "Crypto", package: "swift-crypto"),
      ],
      exclude: ["README.md"]),
    /** The command-line tool: parses options, wires the modules, prints, picks the exit code. */
    .executableTarget(
      name: "cyrus-failover",
      dependencies: [
        "Verification", "CyrusStore", "CyrusFormats", "BerkeleyDB", "Remote",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    /** Test helpers shared by the end-to-end test targets: running the built tool and real programs. */
    .target(name: "TestSupport", dependencies: ["CyrusStore"], path: "Tests/TestSupport"),
    .testTarget(name: "CyrusFormatsTests", dependencies: ["CyrusFormats"]),
    .testTarget(name: "MailboxFormatTests", dependencies: ["CyrusFormats"]),
    .testTarget(name: "BerkeleyDBTests", dependencies: ["BerkeleyDB"]),
    .testTarget(name: "CyrusStoreTests", dependencies: ["CyrusStore", "CyrusFormats"]),
    .testTarget(name: "VerificationTests", dependencies: ["Verification", "CyrusStore", "TestSupport"]),
    .testTarget(name: "RemoteTests", dependencies: ["Remote", "Verification", "CyrusStore", "TestSupport"]),
    .testTarget(
      name: "MailboxListTests",
      dependencies: [
        "cyrus-failover", "CyrusStore", "CyrusFormats", "BerkeleyDB", "Remote", "TestSupport",
      ]),
    .testTarget(
      name: "IntegrationTests", dependencies: ["cyrus-failover", "Verification", "TestSupport"]),
    /** The Debian package (packaging/build-deb.sh) installed into a clean Debian 12 root: slow. */
    .testTarget(name: "PackagingTests", dependencies: ["Verification", "TestSupport"]),
  ]
)
