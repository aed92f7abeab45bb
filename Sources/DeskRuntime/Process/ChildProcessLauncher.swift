import DeskAgent
import DeskCore
import DeskX11
import Foundation

/// ``ProcessLauncher`` over DeskX11's `ChildProcess`: children die with deskpilot, even on SIGKILL.
///
/// Commands get `DISPLAY` set to the run's display, and deskpilot's helper folder at the end of `PATH`, so a
/// task can start `deskpilot-fixture` from a build tree or an install alike.
public final class ChildProcessLauncher: ProcessLauncher, Sendable {
    public let environment: [String: String]
    /// A private desktop's process group (its programs are stopped whole with it); 0 outside one.
    public let processGroup: pid_t
    /// Where the commands' output files go: a private desktop's runtime folder, which its reaper removes even
    /// when deskpilot is killed; the temporary directory outside one.
    private let outputDirectory: String

    /// - Parameter desktop: the private desktop of `--headless`: commands get its environment (session bus,
    ///   accessibility switches) and join its process group.
    public init(displayName: String, desktop: DesktopSession? = nil,
                base: [String: String] = ProcessInfo.processInfo.environment) {
        var env = desktop?.environment(base: base) ?? base
        env["DISPLAY"] = displayName
        env.removeValue(forKey: "WAYLAND_DISPLAY")
        processGroup = desktop?.processGroup ?? 0
        let directory = desktop?.runtimeDirectory ?? NSTemporaryDirectory()
        outputDirectory = directory.hasSuffix("/") ? directory : directory + "/"
        env["PATH"] = Self.pathWithHelpers(env["PATH"])
        environment = env
    }

    /// `path` (else the usual system folders) with deskpilot's helper folder (``InstallLayout/helperDirectory``:
    /// `/usr/lib/deskpilot` when installed, the build folder in a checkout) at the end.
    public static func pathWithHelpers(_ path: String?) -> String {
        (path.map { $0 + ":" } ?? "/usr/local/bin:/usr/bin:/bin:") + InstallLayout.current.helperDirectory
    }

    /// `cd DIR && exec argv…` through sh, since posix_spawn has no portable working-directory action.
    private func inDirectory(_ argv: [String], _ directory: String) -> [String] {
        ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", directory] + argv
    }

    public func executablePath(_ name: String, directory: String) -> String? {
        ProgramLookup.find(name, path: environment["PATH"], directory: directory)
    }

    public func start(_ argv: [String], directory: String) throws -> any LaunchedProcess {
        let log = outputDirectory + "deskpilot-setup-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).log"
        let child = try ChildProcess.spawn(inDirectory(argv, directory), environment: environment, stdout: log, stderr: log,
                                          processGroup: processGroup)
        return LaunchedChild(child: child, argv: argv, log: log)
    }

    public func run(_ argv: [String], directory: String, timeout: Double) throws -> ProcessResult {
        let base = outputDirectory + "deskpilot-cmd-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let out = base + ".out", err = base + ".err"
        defer {
            try? FileManager.default.removeItem(atPath: out)
            try? FileManager.default.removeItem(atPath: err)
        }
        let child = try ChildProcess.spawn(inDirectory(argv, directory), environment: environment, stdout: out, stderr: err,
                                          processGroup: processGroup)
        var status: Int32?
        let end = MonotonicClock.now() + timeout
        while true {
            if let s = child.poll() { status = s; break }
            if StopFlag.current.isRequested || MonotonicClock.now() >= end {
                child.terminate(grace: 1)
                if StopFlag.current.isRequested { throw StoppedError(reason: StopFlag.current.requested ?? "stopped") }
                break
            }
            usleep(5_000)
        }
        let read = { (path: String) in
            FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } ?? ""
        }
        return ProcessResult(status: status, stdout: read(out), stderr: read(err))
    }
}

/// A background setup command.
public final class LaunchedChild: LaunchedProcess, Sendable {
    public let child: ChildProcess
    public let argv: [String]
    public let log: String

    init(child: ChildProcess, argv: [String], log: String) {
        self.child = child
        self.argv = argv
        self.log = log
    }

    public func poll() -> Int32? { child.poll() }

    public func terminate() {
        child.terminate(grace: 2)
        try? FileManager.default.removeItem(atPath: log)
    }

    public var lastOutputLine: String? {
        guard let data = FileManager.default.contents(atPath: log) else { return nil }
        let text = String(decoding: data.suffix(4096), as: UTF8.self)
        return text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .last { !$0.isEmpty }
    }
}
