extension SignOff {
  /// What a procedure did, from its ``ProcedureReport``: each step with its command, times and
  /// outcome, the stopped window, and the bytes each rsync pass moved.
  public struct Procedure: Sendable, Codable, Equatable {
    /// `sync`, `backup`, `restore`, `repair`.
    public var name: String
    /// `completed`, `refused`, `failed`, `source-not-started`.
    public var outcome: String
    /// The step that failed, and why.
    public var failedStep: String?
    public var failure: String?
    /// The steps in the order they ran.
    public var steps: [StepRecord]
    /// The stopped window, when the primary was stopped.
    public var window: Window?
    /// rsync's figures per pass (`pass1`, `pass2`), and summed over every pass.
    public var passes: [String: Transfer]
    public var bytesMoved: Transfer

    enum CodingKeys: String, CodingKey {
      case name, outcome
      case failedStep = "failed_step"
      case failure, steps, window, passes
      case bytesMoved = "bytes_moved"
    }

    /// The procedure as its report records it.
    public init(_ report: ProcedureReport) {
      name = report.procedure
      outcome = report.outcome.rawValue
      failedStep = report.failedStep
      failure = report.failure
      steps = report.steps.map(StepRecord.init)
      window = report.window.map {
        Window(stopIssued: $0.stopIssued, startConfirmed: $0.startConfirmed, seconds: $0.seconds)
      }
      passes = report.passes.mapValues(Transfer.init)
      var total = Rsync.Statistics()
      for pass in report.passes.values { total.add(pass) }
      bytesMoved = Transfer(total)
    }
  }

  /// One step as carried out.
  public struct StepRecord: Sendable, Codable, Equatable {
    public var id: String
    public var title: String
    /// Whose host (`primary`, `failover`).
    public var host: String
    /// The program and its arguments as run on that host (none for the tool's own steps).
    public var argv: [String]?
    /// Seconds since the epoch, and the seconds it took.
    public var started: Double
    public var ended: Double
    public var seconds: Double
    /// `ok`, `ok-with-note`, `failed`, `skipped`.
    public var outcome: String
    /// The program's exit status in words; what else is worth knowing.
    public var status: String?
    public var note: String?
    /// rsync's figures, for a pass.
    public var rsync: Transfer?

    init(_ record: ProcedureReport.StepRecord) {
      id = record.id
      title = record.title
      host = record.host
      argv = record.argv
      started = record.started
      ended = record.ended
      seconds = record.seconds
      outcome = record.outcome
      status = record.status
      note = record.note
      rsync = record.rsync.map(Transfer.init)
    }
  }

  /// Stop issued → start confirmed.
  public struct Window: Sendable, Codable, Equatable {
    /// Seconds since the epoch; the start is missing when it was never confirmed.
    public var stopIssued: Double
    public var startConfirmed: Double?
    public var seconds: Double?

    enum CodingKeys: String, CodingKey {
      case stopIssued = "stop_issued"
      case startConfirmed = "start_confirmed"
      case seconds
    }
  }

  /// What `rsync --stats` reported.
  public struct Transfer: Sendable, Codable, Equatable {
    public var files: UInt64
    public var transferredFiles: UInt64
    public var transferredBytes: UInt64
    public var bytesSent: UInt64
    public var bytesReceived: UInt64
    public var deletedFiles: UInt64

    init(_ statistics: Rsync.Statistics) {
      files = statistics.files
      transferredFiles = statistics.transferredFiles
      transferredBytes = statistics.transferredBytes
      bytesSent = statistics.bytesSent
      bytesReceived = statistics.bytesReceived
      deletedFiles = statistics.deletedFiles
    }

    enum CodingKeys: String, CodingKey {
      case files
      case transferredFiles = "transferred_files"
      case transferredBytes = "transferred_bytes"
      case bytesSent = "bytes_sent"
      case bytesReceived = "bytes_received"
      case deletedFiles = "deleted_files"
    }
  }
}
