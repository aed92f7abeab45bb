import DeskCore
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A private desktop for headless runs and tests: an Xvfb, and around it (unless ``DesktopChoice/bare``) a
/// D-Bus session bus, the AT-SPI accessibility bus and a window manager.
///
/// ```swift
/// let desktop = try DesktopSession.start(.openbox, screen: Size(width: 1280, height: 800))
/// defer { desktop.stop() }
/// let app = try desktop.spawn(["mousepad"])          // DISPLAY, the buses and the a11y switches set
/// ```
///
/// `start` returns once the window manager claims the screen (`_NET_SUPPORTING_WM_CHECK`) and the
/// accessibility registry answers. Every process of the session — the ones started here, everything spawned
/// through ``spawn(_:stdout:stderr:)`` or with ``processGroup`` and ``environment(base:)``, and whatever those start
/// (bus-activated services, `soffice.bin`, browser helpers) — is ended by ``stop()``, and by the session's
/// reaper when deskpilot exits in any way, SIGKILL included (see ``SessionReaper``).
public final class DesktopSession: Sendable {
    public let choice: DesktopChoice
    public let xvfb: XvfbSession
    /// The session bus's address (`DBUS_SESSION_BUS_ADDRESS` of every launched program); nil when bare.
    public let sessionBusAddress: String?
    /// The accessibility bus's address; nil without `a11y`.
    public let accessibilityBusAddress: String?
    /// The window manager's EWMH name (`Openbox`); nil without one.
    public let windowManagerName: String?
    /// A private `XDG_RUNTIME_DIR` (0700) for the session's programs, removed by ``stop()``.
    public let runtimeDirectory: String
    /// Where the desktop's own programs (bus, WM) write their messages; its tail goes into start errors.
    public let logPath: String
    private let reaper: SessionReaper
    private let children: [ChildProcess]
    private let stopped = Mutex(false)

    public var displayName: String { xvfb.displayName }
    public var screen: Size { xvfb.screen }
    /// The process group every program of the session joins (pass it to ``ChildProcess/spawn``).
    public var processGroup: pid_t { reaper.processGroup }

    private init(choice: DesktopChoice, xvfb: XvfbSession, sessionBusAddress: String?, accessibilityBusAddress: String?,
                 windowManagerName: String?, runtimeDirectory: String, logPath: String, reaper: SessionReaper,
                 children: [ChildProcess]) {
        self.choice = choice
        self.xvfb = xvfb
        self.sessionBusAddress = sessionBusAddress
        self.accessibilityBusAddress = accessibilityBusAddress
        self.windowManagerName = windowManagerName
        self.runtimeDirectory = runtimeDirectory
        self.logPath = logPath
        self.reaper = reaper
        self.children = children
    }

    /// The programs a desktop needs, by Debian package, for error messages.
    static let packages = ["dbus-daemon": "dbus", "dbus-send": "dbus-bin", "openbox": "openbox",
                           "/usr/libexec/at-spi-bus-launcher": "at-spi2-core"]

    /// Starts the Xvfb and, for anything but `bare`, the session bus, the accessibility bus (`a11y`) and the
    /// window manager; returns when they are ready, or stops what it started and throws an environment error
    /// (exit 3) naming what failed.
    public static func start(_ choice: DesktopChoice = .openbox, screen: Size = XvfbSession.defaultScreen,
                             timeout: Double = 30,
                             base: [String: String] = ProcessInfo.processInfo.environment) throws -> DesktopSession {
        try checkPrograms(for: choice)
        let reaper = try SessionReaper()
        let runtimeDirectory = NSTemporaryDirectory() + "deskpilot-desktop-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        var children: [ChildProcess] = []
        var xvfb: XvfbSession?
        func abandon() {
            reaper.stop()
            for child in children { child.terminate(grace: 0.2) }
            xvfb?.stop()
            try? FileManager.default.removeItem(atPath: runtimeDirectory)
        }
        do {
            try FileManager.default.createDirectory(atPath: runtimeDirectory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            reaper.stop()
            throw EnvironmentError("cannot create the desktop's runtime folder \(runtimeDirectory): \(error.localizedDescription)")
        }
        reaper.removeWhenEnded(runtimeDirectory)
        let logPath = runtimeDirectory + "/desktop.log"
        do {
            let server = try XvfbSession.start(screen: screen, environment: reaper.environment(base),
                                               processGroup: reaper.processGroup, logDirectory: runtimeDirectory,
                                               timeout: min(timeout, 15))
            xvfb = server
            if choice.isBare {
                return DesktopSession(choice: choice, xvfb: server, sessionBusAddress: nil, accessibilityBusAddress: nil,
                                      windowManagerName: nil, runtimeDirectory: runtimeDirectory, logPath: logPath,
                                      reaper: reaper, children: [])
            }
            let deadline = Date().addingTimeInterval(timeout)
            var env = reaper.environment(sessionEnvironment(base: base, display: server.displayName,
                                                            runtimeDirectory: runtimeDirectory))
            let (bus, busAddress) = try startSessionBus(env: env, log: logPath, group: reaper.processGroup, deadline: deadline)
            children.append(bus)
            env["DBUS_SESSION_BUS_ADDRESS"] = busAddress
            if choice.accessibility {
                children.append(try ChildProcess.spawn(["/usr/libexec/at-spi-bus-launcher", "--launch-immediately"],
                                                       environment: env, stdout: logPath, stderr: logPath,
                                                       processGroup: reaper.processGroup))
            }
            if choice.windowManager == .openbox {
                children.append(try ChildProcess.spawn(["openbox", "--sm-disable"], environment: env, stdout: logPath,
                                                       stderr: logPath, processGroup: reaper.processGroup))
            }
            let wmName = choice.windowManager == .none ? nil
                : try waitForWindowManager(display: server.displayName, children: children, log: logPath, deadline: deadline)
            let a11yAddress = choice.accessibility
                ? try waitForAccessibilityBus(sessionBus: busAddress, children: children, log: logPath, deadline: deadline)
                : nil
            return DesktopSession(choice: choice, xvfb: server, sessionBusAddress: busAddress,
                                  accessibilityBusAddress: a11yAddress, windowManagerName: wmName,
                                  runtimeDirectory: runtimeDirectory, logPath: logPath, reaper: reaper, children: children)
        } catch {
            let tail = logTail(logPath)
            abandon()
            if let error = error as? EnvironmentError, !tail.isEmpty {
                throw EnvironmentError("\(error.message) (desktop log: \(tail))")
            }
            throw error
        }
    }

    deinit { stop() }

    /// Removes `folder` when the session ends, after its processes — also when deskpilot is killed (the
    /// reaper does it). For the folders a run makes for itself, never for one a user named.
    public func removeWhenEnded(_ folder: String) {
        reaper.removeWhenEnded(folder)
    }

    /// Ends every process of the session (newest first, the Xvfb last) and waits for them; safe to call more
    /// than once.
    public func stop() {
        let first = stopped.withLock { done in
            defer { done = true }
            return !done
        }
        guard first else { return }
        reaper.stop()
        for child in children.reversed() { child.terminate(grace: 0.5) }
        xvfb.stop()
        try? FileManager.default.removeItem(atPath: runtimeDirectory)
    }

    /// The environment of a program that runs on this desktop: `DISPLAY`, the session bus, the private runtime
    /// folder, the accessibility switches of GTK, Qt and Chromium (or `NO_AT_BRIDGE=1` without `a11y`), and the
    /// session's marker.
    public func environment(base: [String: String] = ProcessInfo.processInfo.environment) -> [String: String] {
        if choice.isBare { return reaper.environment(xvfb.environment(base: base)) }
        var env = Self.sessionEnvironment(base: base, display: displayName, runtimeDirectory: runtimeDirectory)
        if let sessionBusAddress { env["DBUS_SESSION_BUS_ADDRESS"] = sessionBusAddress }
        if choice.accessibility {
            env.removeValue(forKey: "NO_AT_BRIDGE")  // NO_AT_BRIDGE=1 turns GTK's bridge off
            env["QT_LINUX_ACCESSIBILITY_ALWAYS_ON"] = "1"
            env["QT_ACCESSIBILITY"] = "1"
            env["ACCESSIBILITY_ENABLED"] = "1"  // Chromium
        } else {
            env["NO_AT_BRIDGE"] = "1"
        }
        return reaper.environment(env)
    }

    /// The session's live processes (everything ``stop()`` would end), e.g. to prove that nothing is left.
    public func processes() -> [pid_t] { reaper.members() }

    /// Starts `argv` on this desktop (its environment with `environment` on top, its process group), dying
    /// with deskpilot.
    public func spawn(_ argv: [String], environment extra: [String: String] = [:], stdout: String = "/dev/null",
                      stderr: String = "/dev/null") throws -> ChildProcess {
        try ChildProcess.spawn(argv, environment: environment().merging(extra) { $1 }, stdout: stdout, stderr: stderr,
                               processGroup: processGroup)
    }

    /// The base every desktop program gets: the display, a private runtime folder, and none of the caller's
    /// session (its bus, session manager, Wayland display) leaking in.
    private static func sessionEnvironment(base: [String: String], display: String,
                                           runtimeDirectory: String) -> [String: String] {
        var env = base
        env["DISPLAY"] = display
        env["XDG_RUNTIME_DIR"] = runtimeDirectory
        for key in ["WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "SESSION_MANAGER", "AT_SPI_BUS_ADDRESS",
                    "DESKTOP_STARTUP_ID", "XDG_SESSION_TYPE"] {
            env.removeValue(forKey: key)
        }
        return env
    }

    private static func checkPrograms(for choice: DesktopChoice) throws {
        guard !choice.isBare else { return }
        var needed = ["dbus-daemon", "dbus-send"]
        if choice.accessibility { needed.append("/usr/libexec/at-spi-bus-launcher") }
        if choice.windowManager == .openbox { needed.append("openbox") }
        let missing = needed.filter { name in
            name.hasPrefix("/") ? !FileManager.default.isExecutableFile(atPath: name) : XvfbSession.findExecutable(name) == nil
        }
        guard missing.isEmpty else {
            let names = Set(missing.compactMap { Self.packages[$0] }).sorted()
            throw EnvironmentError("desktop \(choice) needs \(missing.joined(separator: ", ")), which is not installed (Debian: apt-get install \(names.joined(separator: " ")); see scripts/system-packages.txt)")
        }
    }

    /// `dbus-daemon --session --nofork --print-address=3` (no fork: it stays our child, in the group), and the
    /// address it prints.
    private static func startSessionBus(env: [String: String], log: String, group: pid_t,
                                        deadline: Date) throws -> (ChildProcess, String) {
        guard let fds = ChildProcess.closeOnExecPipe() else {
            throw EnvironmentError("cannot create a pipe for dbus-daemon: \(String(cString: strerror(errno)))")
        }
        let child: ChildProcess
        do {
            child = try ChildProcess.spawn(["dbus-daemon", "--session", "--nofork", "--print-address=3"], environment: env,
                                           stdout: log, stderr: log, extraFDs: [3: fds[1]], processGroup: group)
        } catch {
            close(fds[0]); close(fds[1])
            throw error
        }
        close(fds[1])
        defer { close(fds[0]) }
        guard let line = readLine(fd: fds[0], deadline: deadline, child: child), line.contains(":") else {
            child.terminate(grace: 0.2)
            throw EnvironmentError("the D-Bus session bus (dbus-daemon --session) did not start")
        }
        return (child, line)
    }

    private static func readLine(fd: Int32, deadline: Date, child: ChildProcess) -> String? {
        var text = ""
        var buffer = [UInt8](repeating: 0, count: 256)
        while Date() < deadline {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            if poll(&pfd, 1, 50) > 0 {
                let n = read(fd, &buffer, buffer.count)
                if n <= 0 { break }
                text += String(decoding: buffer[0..<n], as: UTF8.self)
                if text.contains("\n") { break }
            } else if !child.isRunning {
                break
            }
        }
        let line = text.split(separator: "\n").first.map(String.init)?.trimmingCharacters(in: .whitespaces)
        return line?.isEmpty == false ? line : nil
    }

    private static func checkRunning(_ children: [ChildProcess]) throws {
        for child in children {
            if let status = child.poll() {
                throw EnvironmentError("\(child.argv[0]) exited with status \(status) while the desktop started")
            }
        }
    }

    /// Waits until an EWMH window manager claims the screen; returns its `_NET_WM_NAME`.
    private static func waitForWindowManager(display name: String, children: [ChildProcess], log: String,
                                             deadline: Date) throws -> String {
        let display = try X11Display(name: name)
        while true {
            if display.hasWindowManager { return display.windowManagerName ?? "unknown" }
            try checkRunning(children)
            if Date() >= deadline {
                throw EnvironmentError("the window manager did not claim display \(name) (no _NET_SUPPORTING_WM_CHECK)")
            }
            usleep(20_000)
        }
    }

    /// Waits until the session bus hands out the accessibility bus and its registry answers.
    private static func waitForAccessibilityBus(sessionBus: String, children: [ChildProcess], log: String,
                                                deadline: Date) throws -> String {
        while true {
            let remaining = max(0.5, deadline.timeIntervalSinceNow)
            if let address = BusProbe.accessibilityBusAddress(sessionBus: sessionBus, timeout: min(3, remaining)),
               BusProbe.accessibilityBusAnswers(address: address, timeout: min(3, remaining)) {
                return address
            }
            try checkRunning(children)
            if Date() >= deadline {
                throw EnvironmentError("the accessibility bus (at-spi-bus-launcher) did not answer on the session bus \(sessionBus)")
            }
            usleep(50_000)
        }
    }

    private static func logTail(_ path: String) -> String {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        // dbus-daemon's fd-limit notice is harmless and always there when not root-privileged enough.
        let lines = text.split(separator: "\n").filter { !$0.contains("Failed to set fd limit") }
        return lines.suffix(3).joined(separator: " | ")
    }
}
