import DeskCore
import DeskX11
import Foundation

/// A private desktop for accessibility tests: Xvfb, a session bus, the accessibility bus
/// (at-spi-bus-launcher) and openbox, and the programs a test starts on it. Stopped in reverse order.
///
/// Test-only: the product's `DesktopSession` (DeskX11) does the same for `--headless` runs.
final class A11yDesktop: @unchecked Sendable {
    let xvfb: XvfbSession
    let sessionBus: String
    let accessibilityBus: String
    private var children: [ChildProcess] = []
    private let lock = NSLock()
    let scratch: String

    var displayName: String { xvfb.displayName }

    /// The environment of a program on this desktop.
    var environment: [String: String] {
        var env = xvfb.environment()
        env["DBUS_SESSION_BUS_ADDRESS"] = sessionBus
        env["AT_SPI_BUS_ADDRESS"] = accessibilityBus
        env.removeValue(forKey: "NO_AT_BRIDGE")
        return env
    }

    struct Failure: Error, CustomStringConvertible { var description: String }

    init(screen: Size = Size(width: 1280, height: 800), windowManager: Bool = true) throws {
        let xvfb = try XvfbSession.start(screen: screen)
        self.xvfb = xvfb
        let scratch = NSTemporaryDirectory() + "deskpilot-a11y-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        self.scratch = scratch
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        var started: [ChildProcess] = []
        func fail(_ message: String) -> Failure {
            for c in started.reversed() { c.terminate(grace: 1) }
            xvfb.stop()
            return Failure(description: message)
        }
        // The session bus prints its address on stdout.
        let addressFile = scratch + "/session-bus"
        let bus = try ChildProcess.spawn(["dbus-daemon", "--session", "--nofork", "--print-address=1"],
                                         environment: xvfb.environment(), stdout: addressFile, stderr: scratch + "/dbus.log")
        started.append(bus)
        guard let address = Self.waitForLine(in: addressFile, timeout: 10) else {
            throw fail("dbus-daemon printed no address")
        }
        var env = xvfb.environment()
        env["DBUS_SESSION_BUS_ADDRESS"] = address
        env["XDG_RUNTIME_DIR"] = scratch
        let launcher = try ChildProcess.spawn(["/usr/libexec/at-spi-bus-launcher", "--launch-immediately"],
                                              environment: env, stderr: scratch + "/at-spi.log")
        started.append(launcher)
        let display = try X11Display(name: xvfb.displayName)
        let deadline = Date().addingTimeInterval(15)
        var a11y: String?
        while Date() < deadline {
            if let found = display.accessibilityBusProperty() { a11y = found; break }
            usleep(50_000)
        }
        guard let a11y else { throw fail("at-spi-bus-launcher set no AT_SPI_BUS property within 15 s") }
        if windowManager {
            started.append(try ChildProcess.spawn(["openbox"], environment: env, stderr: scratch + "/openbox.log"))
        }
        sessionBus = address
        accessibilityBus = a11y
        children = started
    }

    deinit { stop() }

    /// Starts `argv` on the desktop (its output in the scratch folder); stopped with the desktop.
    @discardableResult
    func launch(_ argv: [String], environment extra: [String: String] = [:]) throws -> ChildProcess {
        var env = environment
        for (k, v) in extra { env[k] = v }
        let name = (argv[0] as NSString).lastPathComponent
        let child = try ChildProcess.spawn(argv, environment: env, stdout: scratch + "/\(name).out", stderr: scratch + "/\(name).err")
        lock.withLock { children.append(child) }
        return child
    }

    func stop() {
        let all = lock.withLock { () -> [ChildProcess] in defer { children = [] }; return children }
        for c in all.reversed() { c.terminate(grace: 2) }
        xvfb.stop()
        try? FileManager.default.removeItem(atPath: scratch)
    }

    static func waitForLine(in path: String, timeout: Double) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let data = FileManager.default.contents(atPath: path),
               let line = String(decoding: data, as: UTF8.self).split(separator: "\n").first, !line.isEmpty {
                return String(line)
            }
            usleep(20_000)
        }
        return nil
    }

    /// Polls `body` until it returns a value, at most `timeout` seconds.
    static func waitFor<T>(_ what: String, timeout: Double, every: Double = 0.2, _ body: () throws -> T?) throws -> T {
        let deadline = Date().addingTimeInterval(timeout)
        var lastError: (any Error)?
        while Date() < deadline {
            do { if let v = try body() { return v } } catch { lastError = error }
            usleep(UInt32(every * 1_000_000))
        }
        throw Failure(description: "\(what) did not happen within \(timeout) s" + (lastError.map { " (last error: \($0))" } ?? ""))
    }
}
