// swift-tools-version:6.0
// libFuzzer targets for every parser and decoder, apart from the main package so that
// `swift build` and CI never build them. The modules under Sources/ are symlinks to the main
// package's own sources. Build and run one with `fuzz/run.sh TARGET SECONDS` (see README.md).
import PackageDescription

/// Targets whose bodies are FuzzBodies (CyrusFormats, CyrusStore); the rest decode Remote's
/// formats. Each is `Targets/fuzz-NAME/main.swift`; fuzz/targets.txt says what each parses.
let bodyTargets = [
  "imapd-conf", "skiplist", "twoskip", "flat", "dlist", "mailbox-entry", "dump-text", "dump-json",
  "cyrus-header", "cyrus-index", "seen", "subscriptions", "quota", "acl", "entry-path",
]
let remoteTargets = ["remote-entries", "remote-frames", "remote-manifest", "berkeley-stream"]

let package = Package(
  name: "cyrus-failover-fuzz",
  dependencies: [
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    .package(url: "https://github.com/apple/swift-system", from: "1.4.0"),
  ],
  targets: [
    /** libFuzzer's driver entry point, declared for Swift. */
    .target(name: "FuzzDriver", path: "Targets/FuzzDriver"),
    /** Runs the driver with a Swift body; input helpers. */
    .target(name: "FuzzSupport", dependencies: ["FuzzDriver"], path: "Targets/FuzzSupport"),
    .systemLibrary(name: "CBerkeleyDB", path: "Sources/CBerkeleyDB"),
    .target(name: "BerkeleyDB", dependencies: ["CBerkeleyDB"], exclude: ["README.md"]),
    .target(name: "CyrusFormats"),
    .target(
      name: "CyrusStore",
      dependencies: [
        "CyrusFormats", "BerkeleyDB", .product(name: "Crypto", package: "swift-crypto"),
      ]),
    /** The bodies of the CyrusFormats and CyrusStore targets, shared with the replay test. */
    .target(name: "FuzzBodies", dependencies: ["CyrusFormats", "CyrusStore"]),
    .target(name: "Verification", dependencies: ["CyrusStore", "CyrusFormats"]),
    /** Remote starts ssh and the Berkeley DB child through Processes. */
    .target(name: "CSpawn", exclude: ["README.md"]),
    .target(
      name: "Processes",
      dependencies: ["CSpawn", .product(name: "SystemPackage", package: "swift-system")],
      exclude: ["README.md"]),
    .target(
      name: "Remote",
      dependencies: [
        "Verification", "CyrusStore", "Processes",
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "SystemPackage", package: "swift-system"),
      ],
      exclude: ["README.md"]),
  ]
    + bodyTargets.map {
      .executableTarget(
        name: "fuzz-\($0)", dependencies: ["FuzzSupport", "FuzzBodies"], path: "Targets/fuzz-\($0)")
    }
    + remoteTargets.map {
      .executableTarget(
        name: "fuzz-\($0)", dependencies: ["FuzzSupport", "CyrusFormats", "CyrusStore", "Remote"],
        path: "Targets/fuzz-\($0)")
    }
)
