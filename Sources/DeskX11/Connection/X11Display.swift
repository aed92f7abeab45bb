internal import CX11
import DeskCore
import Foundation

/// One connection to an X server.
///
/// Xlib is not safe to use from several threads at once, so every call goes through ``withDisplay(_:)``,
/// which holds a recursive lock; other modules never see the C `Display *`. Protocol errors become
/// ``X11Error`` values through ``checked(_:_:)`` instead of ending the process.
// Unchecked because `raw` is a C `Display *` every call reaches only through ``withDisplay(_:)``, and the
// atom cache is touched only there too. NSRecursiveLock rather than Mutex: the helpers built on
// `withDisplay` (atom, property, sync, checked…) may be called from inside another `withDisplay` body, which
// a non-recursive Mutex would deadlock on; and Xlib must see one caller for a whole request sequence.
public final class X11Display: @unchecked Sendable {
    /// The display name as given (`:1`) or as resolved from `$DISPLAY`.
    public let name: String
    let raw: OpaquePointer
    let screen: Int32
    let root: UInt
    private let lock = NSRecursiveLock()
    private var atomCache: [String: UInt] = [:]

    /// Opens `name`, or `$DISPLAY` when `name` is nil. Fails with exit status 3 and one clear line when there
    /// is no display, when only Wayland is running, or when the server cannot be reached.
    public init(name: String? = nil) throws {
        let environment = ProcessInfo.processInfo.environment
        let resolved = name ?? environment["DISPLAY"].flatMap { $0.isEmpty ? nil : $0 }
        guard let resolved else {
            if let wayland = environment["WAYLAND_DISPLAY"], !wayland.isEmpty {
                throw X11Error(.waylandWithoutXwayland, display: "",
                               "this is a Wayland session (WAYLAND_DISPLAY=\(wayland)) without Xwayland: DISPLAY is not set, and deskpilot drives X11 only; start Xwayland or use --headless")
            }
            throw X11Error(.noDisplayConfigured, display: "",
                           "no X display: DISPLAY is not set; pass --display :N or --headless")
        }
        X11ErrorTrap.install()
        _ = XInitThreads()
        guard let raw = XOpenDisplay(resolved) else {
            throw X11Error(.cannotOpenDisplay, display: resolved,
                           "cannot open the display (is an X server running there, and may this user connect?)")
        }
        X11ErrorTrap.installExitHandler(raw)
        self.name = resolved
        self.raw = raw
        self.screen = XDefaultScreen(raw)
        self.root = XRootWindow(raw, screen)
    }

    deinit {
        // XCloseDisplay on a lost connection blocks forever (Xlib's display lock stays taken after the I/O
        // error); the socket is closed by the process exit instead.
        if !X11ErrorTrap.isLost(raw) { XCloseDisplay(raw) }
        X11ErrorTrap.forget(raw)
    }

    /// Runs `body` with exclusive use of the connection.
    func withDisplay<T>(_ body: (OpaquePointer) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(raw)
    }

    /// Runs `body`, waits for the server to process it, and throws the first X error it caused.
    func checked<T>(_ what: String, _ body: (OpaquePointer) throws -> T) throws -> T {
        try withDisplay { d in
            // Any Xlib call on a lost connection blocks forever on the display lock Xlib keeps after the I/O
            // error (a run's final capture after its Xvfb died hung that way).
            if X11ErrorTrap.isLost(d) {
                throw X11Error(.connectionLost, display: name, "the connection to the X server is lost; cannot do \(what)")
            }
            _ = X11ErrorTrap.take(d)
            let value = try body(d)
            XSync(d, 0)
            if X11ErrorTrap.isLost(d) {
                throw X11Error(.connectionLost, display: name, "the connection to the X server was lost during \(what)")
            }
            if let first = X11ErrorTrap.take(d).first {
                throw X11Error(.requestFailed, display: name,
                               "\(what) failed: \(first.text) (error \(first.errorCode), request \(first.requestCode).\(first.minorCode), resource 0x\(String(first.resourceID, radix: 16)))")
            }
            return value
        }
    }

    /// True once Xlib has reported the connection broken (server gone).
    public var isConnectionLost: Bool { withDisplay { X11ErrorTrap.isLost($0) } }

    /// Flushes queued requests and waits until the server has processed them.
    public func sync() { withDisplay { if !X11ErrorTrap.isLost($0) { _ = XSync($0, 0) } } }

    /// The root window's size in pixels.
    public var screenSize: Size {
        withDisplay { Size(width: Int(XDisplayWidth($0, screen)), height: Int(XDisplayHeight($0, screen))) }
    }

    /// The atom for `name`, cached.
    func atom(_ atomName: String) -> UInt {
        withDisplay { d in
            if let a = atomCache[atomName] { return a }
            let a = XInternAtom(d, atomName, 0)
            atomCache[atomName] = a
            return a
        }
    }

    /// Whether the server has the extension called `extensionName` (as `xdpyinfo` lists it).
    public func hasExtension(_ extensionName: String) -> Bool {
        withDisplay { d in
            var op: Int32 = 0, ev: Int32 = 0, err: Int32 = 0
            return XQueryExtension(d, extensionName, &op, &ev, &err) != 0
        }
    }

    /// The raw bytes of a window property, with its type atom and format (8, 16 or 32).
    func property(_ window: UInt, _ propertyName: String, maxLength: Int = 1 << 20) -> (type: UInt, format: Int32, items: Int, bytes: [UInt8])? {
        let prop = atom(propertyName)
        return withDisplay { d in
            var type: UInt = 0
            var format: Int32 = 0
            var count: UInt = 0
            var after: UInt = 0
            var data: UnsafeMutablePointer<UInt8>?
            _ = X11ErrorTrap.take(d)
            let status = XGetWindowProperty(d, window, prop, 0, maxLength / 4, 0, UInt(AnyPropertyType), &type,
                                            &format, &count, &after, &data)
            defer { if let data { XFree(data) } }
            _ = X11ErrorTrap.take(d)
            guard status == Success, let data, type != 0 else { return nil }
            // Format-32 items are C longs in memory (8 bytes on 64-bit), whatever the wire size.
            let itemSize = format == 32 ? MemoryLayout<CLong>.size : Int(format) / 8
            let bytes = Array(UnsafeBufferPointer(start: data, count: Int(count) * itemSize))
            return (type, format, Int(count), bytes)
        }
    }

    /// A property of format 32 as unsigned values (window lists, cardinals).
    func propertyLongs(_ window: UInt, _ propertyName: String) -> [UInt]? {
        guard let p = property(window, propertyName), p.format == 32 else { return nil }
        return p.bytes.withUnsafeBytes { raw in
            (0..<p.items).map { raw.load(fromByteOffset: $0 * MemoryLayout<UInt>.size, as: UInt.self) }
        }
    }

    /// A text property (UTF8_STRING or Latin-1 STRING) as a Swift string.
    func propertyString(_ window: UInt, _ propertyName: String) -> String? {
        guard let p = property(window, propertyName), p.format == 8 else { return nil }
        if p.type == atom("UTF8_STRING") { return String(decoding: p.bytes, as: UTF8.self) }
        return String(p.bytes.map { Character(Unicode.Scalar($0)) })
    }
}
