/// Starts the commands a task's setup and checks name; the executable implements it over DeskX11's
/// `ChildProcess` (children die with deskpilot), tests over Foundation's `Process`.
public protocol ProcessLauncher: AnyObject, Sendable {
    /// Starts `argv` in `directory` without waiting (a GUI app); it is stopped by ``LaunchedProcess/terminate()``.
    func start(_ argv: [String], directory: String) throws -> any LaunchedProcess
    /// Runs `argv` in `directory` to the end, at most `timeout` seconds (then it is killed and the result
    /// says so), capturing standard output and error.
    func run(_ argv: [String], directory: String, timeout: Double) throws -> ProcessResult
}

/// A background process started by a launcher.
public protocol LaunchedProcess: AnyObject, Sendable {
    var argv: [String] { get }
    /// The exit status once it ended (128 + n for a signal), nil while it runs.
    func poll() -> Int32?
    /// Stops it (SIGTERM, then SIGKILL) and waits for it.
    func terminate()
}

/// How a command run to completion ended.
public struct ProcessResult: Sendable, Hashable {
    /// The exit status (128 + n when killed by signal n); nil when it timed out and was killed.
    public var status: Int32?
    public var stdout: String
    public var stderr: String

    public init(status: Int32?, stdout: String, stderr: String) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
    }

    public var timedOut: Bool { status == nil }
}
