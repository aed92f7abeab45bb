import DeskCore
@testable import DeskX11
import Foundation
import Testing
import DeskTestSupport

/// A real desktop around a private Xvfb: openbox, the session bus, the accessibility bus — up when `start`
/// returns, gone (grandchildren and bus-activated services included) after `stop`.
@Suite(.serialized, .ownThread) struct DesktopSessionTests {
    /// The command line of `pid`, spaces between arguments; nil once it is gone or a zombie.
    static func commandLine(_ pid: pid_t) -> String? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")"),
              stat[stat.index(after: close)...].split(separator: " ").first != "Z",
              let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return nil }
        return String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
    }

    @Test func openboxDesktopIsReadyWhenStartReturnsAndStopEndsEveryProcess() throws {
        let desktop = try DesktopSession.start(.openbox, screen: Size(width: 1024, height: 768))
        var stopped = false
        defer { if !stopped { desktop.stop() } }
        #expect(desktop.windowManagerName == "Openbox")
        let display = try X11Display(name: desktop.displayName)
        #expect(display.hasWindowManager)
        #expect(display.windowManagerName == "Openbox")
        let bus = try #require(desktop.sessionBusAddress)
        #expect(BusProbe.busAnswers(address: bus))
        let a11y = try #require(desktop.accessibilityBusAddress)
        #expect(BusProbe.accessibilityBusAnswers(address: a11y))
        #expect(a11y.contains(desktop.runtimeDirectory), "the a11y bus lives in the private runtime folder: \(a11y)")

        let env = desktop.environment(base: ["NO_AT_BRIDGE": "1", "PATH": "/usr/bin:/bin", "WAYLAND_DISPLAY": "wayland-0"])
        #expect(env["DISPLAY"] == desktop.displayName)
        #expect(env["DBUS_SESSION_BUS_ADDRESS"] == bus)
        #expect(env["NO_AT_BRIDGE"] == nil)
        #expect(env["QT_LINUX_ACCESSIBILITY_ALWAYS_ON"] == "1" && env["QT_ACCESSIBILITY"] == "1")
        #expect(env["ACCESSIBILITY_ENABLED"] == "1")
        #expect(env["WAYLAND_DISPLAY"] == nil)

        // A program started on the desktop that forks a grandchild which leaves for a session of its own
        // (as bus-activated services and browsers do): stop must end it too.
        let marker = "deskpilot-desktop-test-\(UUID().uuidString)"
        _ = try desktop.spawn(["/bin/sh", "-c", "setsid sh -c 'sleep 600; echo \(marker)' & exec sleep 600"])
        let deadline = Date().addingTimeInterval(10)
        var processes: [pid_t] = []
        var lines: [String] = []
        while Date() < deadline {
            processes = desktop.processes()
            lines = processes.compactMap(Self.commandLine)
            if lines.contains(where: { $0.contains("at-spi2-registryd") }) && lines.contains(where: { $0.contains(marker) }) {
                break
            }
            usleep(50_000)
        }
        for name in ["Xvfb", "dbus-daemon --session", "at-spi-bus-launcher", "accessibility.conf", "openbox",
                     "at-spi2-registryd", marker] {
            #expect(lines.contains { $0.contains(name) }, "no \(name) among the session's processes: \(lines)")
        }
        desktop.stop()
        stopped = true
        let left = processes.compactMap { pid in Self.commandLine(pid).map { "\(pid) \($0)" } }
        #expect(left.isEmpty, "still running after stop: \(left)")
        #expect(!FileManager.default.fileExists(atPath: desktop.runtimeDirectory))
    }

    @Test func bareDesktopIsAnXvfbWithoutWindowManagerOrBus() throws {
        let desktop = try DesktopSession.start(.bare, screen: Size(width: 800, height: 600))
        defer { desktop.stop() }
        #expect(desktop.windowManagerName == nil && desktop.sessionBusAddress == nil)
        let display = try X11Display(name: desktop.displayName)
        #expect(!display.hasWindowManager)
        #expect(desktop.environment(base: [:])["DISPLAY"] == desktop.displayName)
    }

    @Test func windowManagerWithoutAccessibilityStartsNoAccessibilityBus() throws {
        let desktop = try DesktopSession.start(DesktopChoice(windowManager: .openbox, accessibility: false),
                                               screen: Size(width: 800, height: 600))
        defer { desktop.stop() }
        #expect(desktop.windowManagerName == "Openbox")
        #expect(desktop.accessibilityBusAddress == nil)
        #expect(desktop.environment()["NO_AT_BRIDGE"] == "1")
        let lines = desktop.processes().compactMap(Self.commandLine)
        #expect(!lines.contains { $0.contains("at-spi") }, "\(lines)")
    }
}
