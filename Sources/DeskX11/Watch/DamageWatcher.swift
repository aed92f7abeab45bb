internal import CX11
import DeskCore
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Watches the whole root window for drawing through the DAMAGE extension, on a connection of its own.
///
/// The input layer reads selection events from the main connection's queue, so damage events must not
/// land there: this watcher opens a second connection to the same display. It uses the NonEmpty report
/// level (one notification per clean→dirty transition, re-armed by `XDamageSubtract`), which stays cheap
/// on a busy screen where RawRectangles would send one event per drawing operation. Damage is only a hint
/// (pointer motion is none, a focus change may repaint a whole window without changing a pixel), so
/// callers confirm with a tile diff.
public final class DamageWatcher: Sendable {
    /// The watcher's own connection.
    public let display: X11Display
    private let damage: UInt
    private let eventBase: Int32
    /// One drain at a time: arming is a sync and a drain that must not interleave with another drain.
    private let draining = Mutex(())

    /// Opens a second connection to `displayName` and starts watching the root window.
    /// Fails with an environment error when the server has no DAMAGE extension.
    public init(displayName: String) throws {
        let display = try X11Display(name: displayName)
        var eventBase: Int32 = 0, errorBase: Int32 = 0
        guard display.withDisplay({ XDamageQueryExtension($0, &eventBase, &errorBase) }) != 0 else {
            throw X11Error(.extensionMissing, display: display.name,
                           "the X server has no DAMAGE extension, which deskpilot needs to tell when the screen settles")
        }
        var major: Int32 = 1, minor: Int32 = 1
        _ = display.withDisplay { XDamageQueryVersion($0, &major, &minor) }
        let damage = try display.checked("XDamageCreate on the root window") { d in
            XDamageCreate(d, display.root, Int32(XDamageReportNonEmpty))
        }
        self.display = display
        self.damage = damage
        self.eventBase = eventBase
        arm()
    }

    deinit {
        display.withDisplay { d in
            // A call on a lost connection never returns (see X11Display.deinit); the server is gone anyway.
            guard !X11ErrorTrap.isLost(d) else { return }
            XDamageDestroy(d, damage)
            XSync(d, 0)
        }
    }

    /// Forgets all damage seen so far (including the whole-screen report a new damage object starts with).
    public func arm() {
        draining.withLock { _ in
            display.withDisplay { d in _ = XSync(d, 0) }
            _ = drainLocked()
        }
    }

    /// Reads every pending damage notification, re-arms the damage object, and returns how many arrived.
    public func drain() -> Int {
        draining.withLock { _ in drainLocked() }
    }

    private func drainLocked() -> Int {
        display.withDisplay { d in
            var count = 0
            while XPending(d) > 0 {
                var event = XEvent()
                XNextEvent(d, &event)
                if event.type == eventBase + Int32(XDamageNotify) { count += 1 }
            }
            if count > 0 {
                // NonEmpty reports again only once the region was emptied.
                XDamageSubtract(d, damage, 0, 0)
                XFlush(d)
            }
            return count
        }
    }

    /// Waits until no damage has arrived for `quietWindow` seconds, at least `minimum` and at most `maximum`
    /// seconds from now. Throws ``StoppedError`` when a stop is requested meanwhile.
    public func waitForQuiet(quietWindow: Double, minimum: Double, maximum: Double) throws -> DamageSummary {
        let start = Self.now()
        let maxEnd = start + max(maximum, minimum)
        let minEnd = start + max(0, minimum)
        var lastDamage = start
        var events = 0
        while true {
            try StopFlag.current.check()
            let n = drain()
            let now = Self.now()
            if n > 0 {
                events += n
                lastDamage = now
            }
            if now >= minEnd && now - lastDamage >= quietWindow {
                return DamageSummary(events: events, waited: now - start, quiet: true)
            }
            if now >= maxEnd {
                return DamageSummary(events: events, waited: now - start, quiet: false)
            }
            let untilQuiet = lastDamage + quietWindow - now
            let untilMin = minEnd - now
            waitForEvents(seconds: min(max(0.001, max(untilQuiet, untilMin)), maxEnd - now, 0.02))
        }
    }

    /// Waits up to `timeout` seconds for any damage; true when some arrived.
    public func waitForChange(timeout: Double) throws -> Bool {
        let end = Self.now() + max(0, timeout)
        while true {
            try StopFlag.current.check()
            if drain() > 0 { return true }
            let now = Self.now()
            if now >= end { return false }
            waitForEvents(seconds: min(end - now, 0.02))
        }
    }

    /// Blocks until the connection has something to read, or `seconds` pass.
    private func waitForEvents(seconds: Double) {
        let fd = display.withDisplay { XConnectionNumber($0) }
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        _ = poll(&pfd, 1, Int32(max(1, (seconds * 1000).rounded(.up))))
    }

    private static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
}
