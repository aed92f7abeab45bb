import Foundation

/// The first event of a run: what was asked, with which model, on which screen, under which policy.
public struct RunStartEvent: Sendable, Hashable, Codable {
    public static let type = "run_start"

    public var runID: String
    public var time: Date
    public var kind: RunKind
    /// The command line as run (argv), redacted like every other text field.
    public var command: [String]
    public var goal: String?
    /// The task file path for `run`.
    public var task: String?
    public var dialect: String?
    public var model: String?
    public var endpoint: String?
    public var screen: Size
    /// The policy's name (`default`) or the path it was loaded from.
    public var policy: String
    public var dryRun: Bool
    public var deskpilotVersion: String
    /// The X display the run used (`:99`), when known.
    public var display: String?

    public init(runID: String, time: Date, kind: RunKind, command: [String], goal: String? = nil,
                task: String? = nil, dialect: String? = nil, model: String? = nil, endpoint: String? = nil,
                screen: Size, policy: String, dryRun: Bool, deskpilotVersion: String, display: String? = nil) {
        self.runID = runID
        self.time = time
        self.kind = kind
        self.command = command
        self.goal = goal
        self.task = task
        self.dialect = dialect
        self.model = model
        self.endpoint = endpoint
        self.screen = screen
        self.policy = policy
        self.dryRun = dryRun
        self.deskpilotVersion = deskpilotVersion
        self.display = display
    }

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", time, kind, command, goal, task, dialect, model, endpoint, screen, policy
        case dryRun = "dry_run", deskpilotVersion = "deskpilot_version", display
    }
}
