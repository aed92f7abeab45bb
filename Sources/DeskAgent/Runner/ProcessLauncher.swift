import Foundation

/// Starts the commands a task's setup and checks name; the executable implements it over DeskX11's
/// `ChildProcess` (children die with deskpilot), tests over Foundation's `Process`.
public protocol ProcessLauncher: AnyObject, Sendable {
    /// Starts `argv` in `directory` without waiting (a GUI app); it is stopped by ``LaunchedProcess/terminate()``.
    func start(_ argv: [String], directory: String) throws -> any LaunchedProcess
    /// Runs `argv` in `directory` to the end, at most `timeout` seconds (then it is killed and the result
    /// says so), capturing standard output and error.
    func run(_ argv: [String], directory: String, timeout: Double) throws -> ProcessResult
    /// The full path `name` starts from (searched on the commands' `PATH` unless it holds a slash, then
    /// relative to `directory`); nil when there is no such executable.
    func executablePath(_ name: String, directory: String) -> String?
}

extension ProcessLauncher {
    public func executablePath(_ name: String, directory: String) -> String? {
        ProgramLookup.find(name, path: ProcessInfo.processInfo.environment["PATH"], directory: directory)
    }
}

/// Finds a program the way `execvp` does.
public enum ProgramLookup {
    public static func find(_ name: String, path: String?, directory: String) -> String? {
        guard !name.isEmpty else { return nil }
        if name.contains("/") {
            let full = name.hasPrefix("/") ? name : URL(fileURLWithPath: directory).appendingPathComponent(name).path
            return isExecutableFile(full) ? full : nil
        }
        for dir in (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if isExecutableFile(candidate) { return candidate }
        }
        return nil
    }

    private static func isExecutableFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
            && FileManager.default.isExecutableFile(atPath: path)
    }
}

/// A background process started by a launcher.
public protocol LaunchedProcess: AnyObject, Sendable {
    var argv: [String] { get }
    /// The exit status once it ended (128 + n for a signal), nil while it runs.
    func poll() -> Int32?
    /// Stops it (SIGTERM, then SIGKILL) and waits for it.
    func terminate()
    /// The last line it wrote to standard error (or output), for the message when it exits with an error.
    var lastOutputLine: String? { get }
}

extension LaunchedProcess {
    public var lastOutputLine: String? { nil }
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
