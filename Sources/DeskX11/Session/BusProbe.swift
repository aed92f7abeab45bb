import DeskCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Asks D-Bus questions through `dbus-send` (Debian package dbus-bin, part of dbus), each bounded in time:
/// where the accessibility bus is, and whether its registry answers.
public enum BusProbe {
    /// The AT-SPI bus address the session bus's `org.a11y.Bus` hands out (it starts the bus when needed), or
    /// nil when nobody answers within `timeout` seconds.
    public static func accessibilityBusAddress(sessionBus: String, timeout: Double = 3) -> String? {
        let reply = run(["dbus-send", "--bus=\(sessionBus)", "--print-reply=literal",
                         "--reply-timeout=\(Int(timeout * 1000))", "--dest=org.a11y.Bus", "/org/a11y/bus",
                         "org.a11y.Bus.GetAddress"], timeout: timeout + 1)
        guard let reply, reply.status == 0 else { return nil }
        let address = reply.output.trimmingCharacters(in: .whitespacesAndNewlines)
        return address.isEmpty ? nil : address
    }

    /// Whether the AT-SPI registry on `address` answers (asking for its root's child count, which also
    /// activates `at-spi2-registryd` when it is not running yet).
    public static func accessibilityBusAnswers(address: String, timeout: Double = 3) -> Bool {
        let reply = run(["dbus-send", "--bus=\(address)", "--print-reply=literal",
                         "--reply-timeout=\(Int(timeout * 1000))", "--dest=org.a11y.atspi.Registry",
                         "/org/a11y/atspi/accessible/root", "org.freedesktop.DBus.Properties.Get",
                         "string:org.a11y.atspi.Accessible", "string:ChildCount"], timeout: timeout + 1)
        return reply?.status == 0
    }

    /// Whether a bus answers at `address` at all (`org.freedesktop.DBus.GetId`).
    public static func busAnswers(address: String, timeout: Double = 3) -> Bool {
        let reply = run(["dbus-send", "--bus=\(address)", "--print-reply=literal",
                         "--reply-timeout=\(Int(timeout * 1000))", "--dest=org.freedesktop.DBus",
                         "/org/freedesktop/DBus", "org.freedesktop.DBus.GetId"], timeout: timeout + 1)
        return reply?.status == 0
    }

    /// Runs `argv` to its end (at most `timeout` seconds) and returns its status and standard output; nil
    /// when it cannot start or does not end in time.
    static func run(_ argv: [String], timeout: Double) -> (status: Int32, output: String)? {
        guard XvfbSession.findExecutable(argv[0]) != nil else { return nil }
        let out = NSTemporaryDirectory() + "deskpilot-probe-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).out"
        defer { try? FileManager.default.removeItem(atPath: out) }
        guard let child = try? ChildProcess.spawn(argv, stdout: out) else { return nil }
        guard let status = child.wait(timeout: timeout) else {
            child.terminate(grace: 0.2)
            return nil
        }
        let text = FileManager.default.contents(atPath: out).map { String(decoding: $0, as: UTF8.self) } ?? ""
        return (status, text)
    }
}
