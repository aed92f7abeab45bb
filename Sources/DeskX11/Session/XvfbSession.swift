import DeskCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A private Xvfb server, started for one command or test and stopped with it.
///
/// The display number is chosen by Xvfb itself (`-displayfd`), so two sessions starting at once never race
/// for the same number. The server runs with `-noreset` (a keymap set with `setxkbmap` survives the last client
/// disconnecting) and dies with deskpilot even on SIGKILL (a parent-death signal through `setpriv`).
public final class XvfbSession: Sendable {
    /// The display name, `:N`.
    public let displayName: String
    public let screen: Size
    public let process: ChildProcess
    /// Where the server's own messages go (kept for error reports).
    public let logPath: String

    private init(displayName: String, screen: Size, process: ChildProcess, logPath: String) {
        self.displayName = displayName
        self.screen = screen
        self.process = process
        self.logPath = logPath
    }

    /// The default screen of `--headless`.
    public static let defaultScreen = Size(width: 1920, height: 1080)

    /// Starts Xvfb at `screen` (depth 24) and returns once it accepts connections.
    /// - Parameters:
    ///   - environment: the server's environment (default: deskpilot's).
    ///   - processGroup: a ``DesktopSession``'s process group to join; 0 for a group of its own.
    ///   - logDirectory: where the server's log goes (a desktop's runtime folder, which its reaper removes
    ///     even when deskpilot is killed).
    public static func start(screen: Size = defaultScreen, extraArguments: [String] = [],
                             environment: [String: String]? = nil, processGroup: pid_t = 0,
                             logDirectory: String = NSTemporaryDirectory(),
                             timeout: Double = 15) throws -> XvfbSession {
        guard findExecutable("Xvfb") != nil else {
            throw EnvironmentError("Xvfb is not installed (Debian package xvfb); run scripts/setup.sh")
        }
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw EnvironmentError("cannot create a pipe for Xvfb: errno \(errno)") }
        let logPath = (logDirectory.hasSuffix("/") ? logDirectory : logDirectory + "/") + "deskpilot-xvfb-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).log"
        let argv = ["Xvfb", "-displayfd", "3", "-screen", "0", "\(screen.width)x\(screen.height)x24",
                    "-nolisten", "tcp", "-noreset", "-dpi", "96"] + extraArguments
        let child: ChildProcess
        do {
            child = try ChildProcess.spawn(argv, environment: environment, stdout: logPath, stderr: logPath,
                                           extraFDs: [3: fds[1]], processGroup: processGroup)
        } catch {
            close(fds[0]); close(fds[1])
            throw error
        }
        close(fds[1])
        defer { close(fds[0]) }
        guard let number = readDisplayNumber(fd: fds[0], timeout: timeout, child: child) else {
            child.terminate(grace: 0.5)
            let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            let tail = log.split(separator: "\n").suffix(3).joined(separator: " | ")
            try? FileManager.default.removeItem(atPath: logPath)
            throw EnvironmentError("Xvfb did not start within \(Int(timeout)) s\(tail.isEmpty ? "" : ": \(tail)")")
        }
        let session = XvfbSession(displayName: ":\(number)", screen: screen, process: child, logPath: logPath)
        // -displayfd is written once the server listens; one real connection proves it answers.
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if (try? X11Display(name: session.displayName)) != nil { break }
            if Date() >= deadline || !child.isRunning {
                session.stop()
                throw EnvironmentError("Xvfb on \(session.displayName) does not accept connections")
            }
            usleep(10_000)
        }
        return session
    }

    deinit { stop() }

    /// Stops the server and waits for it; safe to call more than once.
    public func stop() {
        process.terminate(grace: 2)
        try? FileManager.default.removeItem(atPath: logPath)
    }

    /// The environment for a child that should draw on this display.
    public func environment(base: [String: String] = ProcessInfo.processInfo.environment) -> [String: String] {
        var env = base
        env["DISPLAY"] = displayName
        env.removeValue(forKey: "WAYLAND_DISPLAY")
        return env
    }

    private static func readDisplayNumber(fd: Int32, timeout: Double, child: ChildProcess) -> Int? {
        var text = ""
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 32)
        while Date() < deadline {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, 50)
            if ready > 0 {
                let n = read(fd, &buffer, buffer.count)
                if n <= 0 { break }
                text += String(decoding: buffer[0..<n], as: UTF8.self)
                if text.contains("\n") { break }
            } else if !child.isRunning {
                break
            }
        }
        return Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// The full path of `name` on PATH, if it is there.
    public static func findExecutable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
