import DeskCore
import DeskX11
import Foundation
import Synchronization

/// A private desktop for accessibility tests: the product's ``DesktopSession`` (Xvfb, a session bus, the
/// accessibility bus, openbox), the programs a test starts on it (in the session's process group, so they
/// are reaped with it), and a scratch folder.
final class A11yDesktop: Sendable {
    let session: DesktopSession
    let sessionBus: String
    let accessibilityBus: String
    let scratch: String
    private let children = Mutex<[ChildProcess]>([])

    var displayName: String { session.displayName }

    /// The environment of a program on this desktop (the toolkits' accessibility switches included).
    var environment: [String: String] {
        var env = session.environment()
        env["AT_SPI_BUS_ADDRESS"] = accessibilityBus
        return env
    }

    struct Failure: Error, CustomStringConvertible { var description: String }

    init(screen: Size = Size(width: 1280, height: 800)) throws {
        session = try DesktopSession.start(.openbox, screen: screen)
        guard let bus = session.sessionBusAddress, let a11y = session.accessibilityBusAddress else {
            session.stop()
            throw Failure(description: "the desktop session has no session or accessibility bus")
        }
        sessionBus = bus
        accessibilityBus = a11y
        scratch = NSTemporaryDirectory() + "deskpilot-a11y-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    }

    deinit { stop() }

    /// Starts `argv` on the desktop (its output in the scratch folder); stopped with the desktop.
    @discardableResult
    func launch(_ argv: [String], environment extra: [String: String] = [:]) throws -> ChildProcess {
        var env = environment
        for (k, v) in extra { env[k] = v }
        let name = (argv[0] as NSString).lastPathComponent
        let child = try ChildProcess.spawn(argv, environment: env, stdout: scratch + "/\(name).out",
                                           stderr: scratch + "/\(name).err", processGroup: session.processGroup)
        children.withLock { $0.append(child) }
        return child
    }

    func stop() {
        let all = children.withLock { children in
            defer { children = [] }
            return children
        }
        for c in all.reversed() { c.terminate(grace: 2) }
        session.stop()
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
