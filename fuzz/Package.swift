// swift-tools-version:6.0
// libFuzzer targets for every parser and decoder, apart from the main package so that
// `swift build` and CI never build them. The modules under Sources/ are symlinks to the main
// package's own sources. Build and run one with `fuzz/run.sh TARGET SECONDS` (see README.md).
import PackageDescription

let package = Package(
  name: "cyrus-failover-fuzz",
  dependencies: [
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3")
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
    .target(
      name: "Remote",
      dependencies: [
        "Verification", "CyrusStore", .product(name: "Crypto", package: "swift-crypto"),
      ],
      exclude: ["README.md"]),
    .executableTarget(
      name: "fuzz-imapd-conf", dependencies: ["FuzzSupport", "FuzzBodies"],
      path: "Targets/fuzz-imapd-conf"),
    .executableTarget(
      name: "fuzz-skiplist", dependencies: ["FuzzSupport", "FuzzBodies"],
      path: "Targets/fuzz-skiplist"),
    .executableTarget(
      name: "fuzz-twoskip", dependencies: ["FuzzSupport", "FuzzBodies"],
      path: "Targets/fuzz-twoskip"),
    .executableTarget(
      name: "fuzz-flat", dependencies: ["FuzzSupport", "FuzzBodies"],
      path: "Targets/fuzz-flat"),
    .executableTarget(
      name: "fuzz-dlist", dependencies: ["FuzzSupport", "FuzzBodies"],
      path: "Targets/fuzz-dlist"),
    .executableTarget(
      name: "fuzz-mailbox-entry", dependencies: ["FuzzSupport", "FuzzBodies"],
      path: "Targets/fuzz-mailbox-entry"),
    .executableTarget(
      name: "fuzz-dump-text", dependencies: ["FuzzSupport", "FuzzBodies"],
      path: "Targets/fuzz-dump-text"),
    .executableTarget(
      name: "fuzz-dump-json", dependencies: ["FuzzSupport", "FuzzBodies"],
      path: "Targets/fuzz-dump-json"),
    .executableTarget(
      name: "fuzz-cyrus-header", dependencies: ["FuzzSupport", "FuzzBodies"],
      path: "Targets/fuzz-cyrus-header"),
    .executableTarget(
      name: "fuzz-cyrus-index", dependencies: ["FuzzSupport", "FuzzBodies"],
      path: "Targets/fuzz-cyrus-index"),
    .executableTarget(
      name: "fuzz-seen", dependencies: ["FuzzSupport", "FuzzBodies"],
      path: "Targets/fuzz-seen"),
    .executableTarget(
      name: "fuzz-subscriptions", dependencies: ["FuzzSupport", "FuzzBodies"],
      path: "Targets/fuzz-subscriptions"),
    .executableTarget(
      name: "fuzz-quota", dependencies: ["FuzzSupport", "FuzzBodies"],
      path: "Targets/fuzz-quota"),
    .executableTarget(
      name: "fuzz-acl", dependencies: ["FuzzSupport", "FuzzBodies"],
      path: "Targets/fuzz-acl"),
    .executableTarget(
      name: "fuzz-entry-path", dependencies: ["FuzzSupport", "FuzzBodies"],
      path: "Targets/fuzz-entry-path"),
    .executableTarget(
      name: "fuzz-remote-entries", dependencies: ["FuzzSupport", "CyrusFormats", "CyrusStore", "Remote"],
      path: "Targets/fuzz-remote-entries"),
    .executableTarget(
      name: "fuzz-remote-frames", dependencies: ["FuzzSupport", "CyrusFormats", "CyrusStore", "Remote"],
      path: "Targets/fuzz-remote-frames"),
    .executableTarget(
      name: "fuzz-remote-manifest", dependencies: ["FuzzSupport", "CyrusFormats", "CyrusStore", "Remote"],
      path: "Targets/fuzz-remote-manifest"),
    .executableTarget(
      name: "fuzz-berkeley-stream", dependencies: ["FuzzSupport", "CyrusFormats", "CyrusStore", "Remote"],
      path: "Targets/fuzz-berkeley-stream"),
  ]
)
