import Foundation
import Testing
import DeskTestSupport

/// `--headless` with a real desktop: `info` reports the window manager and the buses, and a SIGKILLed run
/// leaves no Xvfb, window manager, dbus-daemon, at-spi process or launched program behind.
@Suite(.ownThread) struct CLIDesktopTests {
    static let task = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/desktop-long-wait.yaml").path

    /// Pid → ppid and command line of every live (not zombie) process.
    static func processTable() -> [Int32: (ppid: Int32, command: String)] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [:] }
        var table: [Int32: (Int32, String)] = [:]
        for entry in entries {
            guard let pid = Int32(entry),
                  let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 2, fields[0] != "Z", let ppid = Int32(fields[1]),
                  let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { continue }
            table[pid] = (ppid, String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self))
        }
        return table
    }

    /// The environment `pid` started with, one `NAME=value` per element.
    static func environment(of pid: Int32) -> [String] {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else { return [] }
        return data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The live descendants of `root`.
    static func descendants(of root: Int32) -> [Int32: String] {
        let table = processTable()
        var found: [Int32: String] = [:]
        var frontier: Set<Int32> = [root]
        while !frontier.isEmpty {
            let next = table.filter { frontier.contains($0.value.ppid) && found[$0.key] == nil }
            for (pid, entry) in next { found[pid] = entry.command }
            frontier = Set(next.keys)
        }
        return found
    }

    @Test func infoReportsTheWindowManagerAndBothBuses() throws {
        let r = try CLIRunner.run(["info", "--headless", "--screen", "800x600", "--desktop", "openbox", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: r.stdout) as? [String: Any])
        #expect(object["window_manager"] as? Bool == true)
        #expect(object["window_manager_name"] as? String == "Openbox")
        #expect((object["session_bus"] as? String)?.hasPrefix("unix:") == true)
        #expect(object["session_bus_answers"] as? Bool == true)
        #expect((object["accessibility_bus"] as? String)?.hasPrefix("unix:") == true)
        #expect(object["accessibility_bus_answers"] as? Bool == true)
    }

    @Test func bareInfoHasNoWindowManager() throws {
        let r = try CLIRunner.run(["info", "--headless", "--screen", "800x600", "--desktop", "bare", "--json"],
                                  environment: ["DBUS_SESSION_BUS_ADDRESS": nil])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: r.stdout) as? [String: Any])
        #expect(object["window_manager"] as? Bool == false)
        #expect(object["window_manager_name"] == nil)
        #expect(object["accessibility_bus_answers"] as? Bool == false)
    }

    @Test func desktopWithoutHeadlessIsAUsageError() throws {
        let r = try CLIRunner.run(["info", "--desktop", "openbox"])
        #expect(r.status == 64 || r.status == 2, "\(r.status) \(r.stderr)")
        #expect(r.stderr.contains("--desktop only applies with --headless"))
        let bad = try CLIRunner.run(["info", "--headless", "--desktop", "kde"])
        #expect(bad.stderr.contains("--desktop wants openbox or bare"))
    }

    @Test func sigkillOfADesktopRunLeavesNothingBehind() throws {
        let dir = NSTemporaryDirectory() + "deskpilot-desktop-sigkill-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CLIRunner.path("deskpilot"))
        p.arguments = ["run", Self.task, "--headless", "--trace-dir", dir, "-q"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        // Wait until the whole desktop and the launched program (with its escaped grandchild) run. The
        // grandchild left for a session of its own and at-spi2-registryd double-forks out of the tree: both are
        // found by the run's marker variable, read from openbox's environment.
        let wanted = ["Xvfb", "openbox", "dbus-daemon --session", "at-spi-bus-launcher", "accessibility.conf",
                      "at-spi2-registryd", "desktop-long-wait-grandchild"]
        var watched: [Int32: String] = [:]
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let tree = Self.descendants(of: p.processIdentifier)
            watched = tree
            if let openbox = tree.first(where: { $0.value.hasPrefix("openbox") })?.key,
               let marker = Self.environment(of: openbox).first(where: { $0.hasPrefix("DESKPILOT_DESKTOP=") }) {
                for (pid, entry) in Self.processTable() where Self.environment(of: pid).contains(marker) {
                    watched[pid] = entry.command
                }
            }
            if wanted.allSatisfy({ name in watched.values.contains { $0.contains(name) } }) { break }
            usleep(100_000)
        }
        for name in wanted {
            #expect(watched.values.contains { $0.contains(name) }, "no \(name) in the run: \(watched.values.sorted())")
        }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        let end = Date().addingTimeInterval(15)
        var left: [String] = []
        repeat {
            let table = Self.processTable()
            left = watched.filter { table[$0.key] != nil }.map { "\($0.key) \($0.value)" }
            if left.isEmpty { break }
            usleep(100_000)
        } while Date() < end
        #expect(left.isEmpty, "left behind after SIGKILL: \(left)")
    }
}
