import DeskCore
import DeskX11
import DeskTestSupport
import Foundation
import Synchronization

/// One JSON line of the fixture's log (`{"type":"key_press","keycode":38,…}`).
// Unchecked because `fields` holds what JSONSerialization parsed (strings, NSNumbers, arrays and dictionaries
// of them), never mutated after parsing; `[String: Any]` cannot state that.
struct FixtureEvent: @unchecked Sendable, CustomStringConvertible {
    let type: String
    let fields: [String: Any]

    func string(_ key: String) -> String? { fields[key] as? String }
    func int(_ key: String) -> Int? { (fields[key] as? NSNumber)?.intValue }
    func double(_ key: String) -> Double? { (fields[key] as? NSNumber)?.doubleValue }
    func intPair(_ key: String) -> (Int, Int)? {
        guard let list = fields[key] as? [NSNumber], list.count == 2 else { return nil }
        return (list[0].intValue, list[1].intValue)
    }

    var description: String {
        let rest = fields.filter { $0.key != "type" && $0.key != "time" }.map { "\($0.key)=\($0.value)" }.sorted()
        return "\(type)(\(rest.joined(separator: ", ")))"
    }
}

/// The `deskpilot-fixture` X client, started on a display for one test, with its event log parsed as it grows.
///
/// The binary is found through `DESKPILOT_FIXTURE`, else next to the running test bundle (the same build
/// folder), else the newest `.build*/debug/deskpilot-fixture` under the package root.
final class FixtureApp: Sendable {
    let process: ChildProcess
    let logPath: String
    /// The window id and geometry from the `ready` line.
    var window: UInt { placement.withLock { $0.window } }
    var rect: Rect { placement.withLock { $0.rect } }
    private let placement = Mutex((window: UInt(0), rect: Rect(x: 0, y: 0, width: 0, height: 0)))
    /// The log as read so far.
    private struct LogState {
        var parsed: [FixtureEvent] = []
        var offset: UInt64 = 0
        var partial = Data()
    }
    private let log = Mutex(LogState())

    struct NotFound: Error, CustomStringConvertible {
        var description: String
    }

    /// Starts the fixture on `displayName` and waits for its `ready` line (its first Expose: under a window
    /// manager, only once the WM has mapped it). The bound only ends a failure: when the whole suite starts at
    /// once on two cores, a WM that has just come up took more than 10 s to map the first window (once in
    /// six CI runs).
    init(displayName: String, geometry: Rect? = nil, title: String? = nil, className: String? = nil,
         buttons: [String]? = nil, extraArguments: [String] = [], readyTimeout: Double = 30) throws {
        let binary = try Self.binaryPath()
        logPath = NSTemporaryDirectory() + "deskpilot-fixture-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).jsonl"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        var argv = [binary, "--log", logPath]
        if let g = geometry { argv += ["--geometry", "\(g.width)x\(g.height)+\(g.x)+\(g.y)"] }
        if let title { argv += ["--title", title] }
        if let className { argv += ["--class", className] }
        if let buttons { argv += ["--buttons", buttons.joined(separator: ",")] }
        argv += extraArguments
        var env = ProcessInfo.processInfo.environment
        env["DISPLAY"] = displayName
        env.removeValue(forKey: "WAYLAND_DISPLAY")
        process = try ChildProcess.spawn(argv, environment: env, stderr: logPath + ".stderr")
        let ready = try waitFor(type: "ready", timeout: readyTimeout)
        let window = ready.string("window").flatMap { WindowInfo.parseID($0) } ?? 0
        let rect = Rect(x: ready.int("x") ?? 0, y: ready.int("y") ?? 0, width: ready.int("width") ?? 0,
                        height: ready.int("height") ?? 0)
        placement.withLock { $0 = (window, rect) }
    }

    deinit { stop() }

    func stop() {
        process.terminate(grace: 1)
        try? FileManager.default.removeItem(atPath: logPath)
        try? FileManager.default.removeItem(atPath: logPath + ".stderr")
    }

    /// The fixture binary to run.
    static func binaryPath(filePath: String = #filePath) throws -> String {
        let fm = FileManager.default
        if let env = ProcessInfo.processInfo.environment["DESKPILOT_FIXTURE"], fm.isExecutableFile(atPath: env) {
            return env
        }
        // The test bundle runs from <scratch>/<triple>/debug/…xctest; the fixture is built into that folder.
        var dir = URL(fileURLWithPath: CommandLine.arguments.first ?? "").deletingLastPathComponent()
        for _ in 0..<3 {
            let candidate = dir.appendingPathComponent("deskpilot-fixture").path
            if fm.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        let root = URL(fileURLWithPath: filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        var best: (path: String, date: Date)?
        for entry in (try? fm.contentsOfDirectory(atPath: root.path)) ?? [] where entry.hasPrefix(".build") {
            let candidate = root.appendingPathComponent(entry).appendingPathComponent("debug/deskpilot-fixture").path
            guard fm.isExecutableFile(atPath: candidate),
                  let date = (try? fm.attributesOfItem(atPath: candidate))?[.modificationDate] as? Date else { continue }
            if best.map({ date > $0.date }) ?? true { best = (candidate, date) }
        }
        guard let best else {
            throw NotFound(description: "deskpilot-fixture not found: build it (swift build --product deskpilot-fixture) or set DESKPILOT_FIXTURE")
        }
        return best.path
    }

    /// Every event logged so far, oldest first.
    func events() -> [FixtureEvent] {
        log.withLock { log in
            readNew(&log)
            return log.parsed
        }
    }

    /// Events logged so far of one type.
    func events(ofType type: String) -> [FixtureEvent] { events().filter { $0.type == type } }

    /// How many events have been logged (to wait for ones after a point).
    var count: Int { events().count }

    private func readNew(_ log: inout LogState) {
        guard let handle = FileHandle(forReadingAtPath: logPath) else { return }
        defer { try? handle.close() }
        try? handle.seek(toOffset: log.offset)
        guard let data = try? handle.readToEnd(), !data.isEmpty else { return }
        log.offset += UInt64(data.count)
        log.partial.append(data)
        while let newline = log.partial.firstIndex(of: 0x0A) {
            let line = log.partial[log.partial.startIndex..<newline]
            log.partial = Data(log.partial[log.partial.index(after: newline)...])
            guard let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any],
                  let type = object["type"] as? String else { continue }
            log.parsed.append(FixtureEvent(type: type, fields: object))
        }
    }

    /// Waits for the first event of `type` at or after index `after` that satisfies `predicate`.
    @discardableResult
    func waitFor(type: String, after: Int = 0, timeout: Double = 5,
                 where predicate: (FixtureEvent) -> Bool = { _ in true }) throws -> FixtureEvent {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let all = events()
            if after < all.count, let hit = all[after...].first(where: { $0.type == type && predicate($0) }) { return hit }
            if Date() >= deadline {
                let tail = all.suffix(5).map(\.description).joined(separator: "; ")
                throw NotFound(description: "no '\(type)' event within \(timeout) s (last events: \(tail))")
            }
            if !process.isRunning {
                throw NotFound(description: "the fixture exited (status \(process.poll() ?? -1)) before a '\(type)' event")
            }
            usleep(2_000)
        }
    }

    /// Returns once every event the X server sent the window so far is logged, and what the fixture drew
    /// in answer reached the server (``FixtureMark``).
    func barrier(timeout: Double = 20) throws { try FixtureMark.wait(pid: process.pid, log: logPath, timeout: timeout) }

    /// The text field's content after the last change, if any change was logged.
    var lastText: String? { events(ofType: "text").last?.string("value") }

    /// Waits until the field holds exactly `expected`; returns the last text seen (equal on success).
    @discardableResult
    func waitForText(_ expected: String, timeout: Double = 5) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let text = lastText
            if text == expected || Date() >= deadline { return text }
            usleep(2_000)
        }
    }
}
