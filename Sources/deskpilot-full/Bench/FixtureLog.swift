import Foundation

/// Reads the fixture app's JSON-lines log as it grows (the benchmark's ground truth for what arrived).
final class FixtureLog {
    let path: String
    private var offset: UInt64 = 0
    private var partial = Data()
    private(set) var events: [[String: Any]] = []

    init(path: String) { self.path = path }

    /// Parses what was appended since the last call.
    func refresh() {
        guard let handle = FileHandle(forReadingAtPath: path) else { return }
        defer { try? handle.close() }
        try? handle.seek(toOffset: offset)
        guard let data = try? handle.readToEnd(), !data.isEmpty else { return }
        offset += UInt64(data.count)
        partial.append(data)
        while let newline = partial.firstIndex(of: 0x0A) {
            let line = partial[partial.startIndex..<newline]
            partial = Data(partial[partial.index(after: newline)...])
            if let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any] { events.append(object) }
        }
    }

    /// The text field's content after the last change.
    var lastText: String? {
        refresh()
        return events.last { $0["type"] as? String == "text" }?["value"] as? String
    }

    /// Waits (polling every 0.2 ms) for an event of `type` after index `after`; the time it was seen, or nil.
    func waitFor(_ type: String, after: Int, timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            refresh()
            if events.count > after, events[after...].contains(where: { $0["type"] as? String == type }) { return true }
            usleep(200)
        }
        return false
    }

    /// Waits until the field text stops changing for `quiet` seconds (or `timeout`), then returns it.
    func settledText(quiet: Double = 0.15, timeout: Double = 3) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        var last = lastText
        var since = Date()
        while Date() < deadline {
            usleep(10_000)
            let now = lastText
            if now != last { last = now; since = Date() } else if Date().timeIntervalSince(since) >= quiet { break }
        }
        return last
    }

    var count: Int {
        refresh()
        return events.count
    }
}
