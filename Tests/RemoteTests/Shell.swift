import TestSupport

/// Runs `sh -c` (tests only: to check what the remote shell makes of a quoted word).
func runShell(_ script: String) throws -> String {
  try TestPrograms.run(["/bin/sh", "-c", script]).stdout
}
