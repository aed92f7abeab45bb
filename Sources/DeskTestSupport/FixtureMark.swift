import Foundation

/// The barrier the `deskpilot-fixture` offers instead of a sleep: SIGUSR1 makes it send itself an event
/// through the X server and log `{"type":"mark"}` when that event comes back. X delivers a client's events
/// in order, so once the mark is in the log, every event the server had sent the window before is logged
/// too (and what the fixture drew in answer is on the screen).
///
/// That settles both kinds of question a test asks after input: "did it arrive?" and "did nothing else
/// arrive?" — the second one only for input whose sender is done (it exited, or synced with the server),
/// since input still on its way to the server is behind nothing.
public enum FixtureMark {
    public struct Missing: Error, CustomStringConvertible {
        public var description: String
    }

    /// Asks the fixture `pid` logging to `log` for a mark and waits until it is logged.
    public static func wait(pid: pid_t, log: String, timeout: Double = 20) throws {
        let before = count(in: log)
        guard kill(pid, SIGUSR1) == 0 else {
            throw Missing(description: "the fixture \(pid) is gone: \(String(cString: strerror(errno)))")
        }
        let deadline = Date().addingTimeInterval(timeout)
        while count(in: log) <= before {
            if Date() > deadline { throw Missing(description: "the fixture \(pid) logged no mark within \(timeout) s") }
            usleep(2_000)
        }
    }

    /// How many marks `log` holds.
    static func count(in log: String) -> Int {
        guard let text = try? String(contentsOfFile: log, encoding: .utf8) else { return 0 }
        return text.components(separatedBy: "{\"type\":\"mark\"").count - 1
    }
}
