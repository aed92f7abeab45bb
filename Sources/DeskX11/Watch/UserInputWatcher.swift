internal import CX11
import DeskCore
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Notices a person using the keyboard or mouse during a run: XInput 2 raw events (key presses, button
/// presses, motion) from every device, on a connection and thread of its own, each judged by its source
/// device with ``UserInputClassifier`` — so deskpilot's own XTest input (and any other injector's) never
/// counts, and a physical device does at its first event.
///
/// Raw events go to the root window whatever window has the focus and whoever grabbed the devices
/// (XInput 2.1 and later), so the watcher sees input meant for any application. The device list is read
/// at start and again on every hierarchy change (a device plugged in or removed) and whenever an event
/// names a device the list does not know.
///
/// On Xvfb there are no physical devices: tests can prove injected input is ignored, but only a real
/// display (or an X server with a real or uinput-backed evdev device) can show a person being noticed.
public final class UserInputWatcher: Sendable {
    /// The watcher's own connection.
    public let display: X11Display
    private let opcode: Int32
    private let onPerson: @Sendable (String) -> Void
    private struct State {
        var devices: [InputDevice]
        var running = true
        var injected = 0
        var personEvents = 0
    }
    private let state: Mutex<State>
    private let done = DispatchSemaphore(value: 0)

    /// Opens a connection to `displayName`, selects raw input events on its root window and starts
    /// watching; `onPerson` is called (on the watcher's thread) with a short description of the device for
    /// every event a person caused. Fails when the server lacks XInput 2.2.
    public init(displayName: String, onPerson: @escaping @Sendable (String) -> Void) throws {
        let display = try X11Display(name: displayName)
        var opcode: Int32 = 0, firstEvent: Int32 = 0, firstError: Int32 = 0
        guard display.withDisplay({ XQueryExtension($0, "XInputExtension", &opcode, &firstEvent, &firstError) }) != 0 else {
            throw X11Error(.extensionMissing, display: display.name,
                           "the X server has no XInput extension, which deskpilot needs to notice a person using the desktop")
        }
        var major: Int32 = 2, minor: Int32 = 2
        let status = display.withDisplay { XIQueryVersion($0, &major, &minor) }
        guard status == Success, major > 2 || (major == 2 && minor >= 2) else {
            throw X11Error(.extensionMissing, display: display.name,
                           "the X server has XInput \(major).\(minor); deskpilot needs 2.2 to notice a person using the desktop")
        }
        try display.checked("selecting raw input events on the root window") { d in
            Self.select(display: d, root: display.root)
        }
        self.display = display
        self.opcode = opcode
        self.onPerson = onPerson
        state = Mutex(State(devices: Self.listDevices(display)))
        let thread = Thread { [self] in watch() }
        thread.name = "deskpilot user input"
        thread.start()
    }

    /// The devices as last read.
    public var knownDevices: [InputDevice] {
        state.withLock { $0.devices }
    }

    /// How many raw events came from injecting (XTEST) devices, and how many from a person, so far.
    public var counts: (injected: Int, person: Int) {
        state.withLock { ($0.injected, $0.personEvents) }
    }

    /// Ends the watch. Safe to call more than once.
    public func stop() {
        let wasRunning = state.withLock { state in
            defer { state.running = false }
            return state.running
        }
        guard wasRunning else { return }
        _ = done.wait(timeout: .now() + 2)
    }

    /// Every input device of the display, as `XIQueryDevice` lists them.
    public static func listDevices(_ display: X11Display) -> [InputDevice] {
        display.withDisplay { d in
            var count: Int32 = 0
            guard let list = XIQueryDevice(d, XIAllDevices, &count) else { return [] }
            defer { XIFreeDeviceInfo(list) }
            return (0..<Int(count)).map { i in
                let info = list[i]
                let name = info.name.map { String(cString: $0) } ?? ""
                let use: InputDevice.Use
                switch info.use {
                case XIMasterPointer: use = .masterPointer
                case XIMasterKeyboard: use = .masterKeyboard
                case XISlavePointer: use = .slavePointer
                case XISlaveKeyboard: use = .slaveKeyboard
                default: use = .floatingSlave
                }
                return InputDevice(id: Int(info.deviceid), name: name, use: use, attachment: Int(info.attachment),
                                   enabled: info.enabled != 0)
            }
        }
    }

    /// Raw key presses, button presses and motion from the master devices (each reports its source slave),
    /// and hierarchy changes from all devices.
    private static func select(display d: OpaquePointer, root: UInt) {
        // XISetMask is a macro: set the bits by hand. Four bytes cover every event number below 32.
        var rawBits = [UInt8](repeating: 0, count: 4)
        for event in [XI_RawKeyPress, XI_RawButtonPress, XI_RawMotion] { rawBits[Int(event) >> 3] |= UInt8(1 << (Int(event) & 7)) }
        var hierarchyBits = [UInt8](repeating: 0, count: 4)
        hierarchyBits[Int(XI_HierarchyChanged) >> 3] |= UInt8(1 << (Int(XI_HierarchyChanged) & 7))
        rawBits.withUnsafeMutableBufferPointer { raw in
            hierarchyBits.withUnsafeMutableBufferPointer { hierarchy in
                var masks = [
                    XIEventMask(deviceid: XIAllMasterDevices, mask_len: 4, mask: raw.baseAddress),
                    XIEventMask(deviceid: XIAllDevices, mask_len: 4, mask: hierarchy.baseAddress),
                ]
                _ = XISelectEvents(d, root, &masks, Int32(masks.count))
            }
        }
    }

    private var isRunning: Bool {
        state.withLock { $0.running }
    }

    private func watch() {
        defer { done.signal() }
        let fd = display.withDisplay { XConnectionNumber($0) }
        while isRunning {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            _ = poll(&pfd, 1, 50)
            var sources: [Int] = []
            var hierarchyChanged = false
            display.withDisplay { d in
                while XPending(d) > 0 {
                    var event = XEvent()
                    XNextEvent(d, &event)
                    guard event.type == GenericEvent else { continue }
                    var cookie = event.xcookie
                    guard cookie.extension == opcode, XGetEventData(d, &cookie) != 0 else { continue }
                    defer { XFreeEventData(d, &cookie) }
                    switch cookie.evtype {
                    case XI_RawKeyPress, XI_RawButtonPress, XI_RawMotion:
                        if let data = cookie.data {
                            sources.append(Int(data.assumingMemoryBound(to: XIRawEvent.self).pointee.sourceid))
                        }
                    case XI_HierarchyChanged:
                        hierarchyChanged = true
                    default:
                        break
                    }
                }
            }
            if hierarchyChanged { refreshDevices() }
            handle(sources)
            if display.isConnectionLost { return }
        }
    }

    private func refreshDevices() {
        let fresh = Self.listDevices(display)
        state.withLock { $0.devices = fresh }
    }

    private func handle(_ sources: [Int]) {
        guard !sources.isEmpty else { return }
        var list = knownDevices
        if sources.contains(where: { id in !list.contains { $0.id == id } }) {
            refreshDevices()
            list = knownDevices
        }
        var people: [String] = []
        var injectedHere = 0
        for source in sources {
            switch UserInputClassifier.classify(sourceID: source, devices: list) {
            case .person(let name): people.append("'\(name)' (device \(source))")
            case .unknownDevice(let id): people.append("an unlisted input device (\(id))")
            case .injected: injectedHere += 1
            case .ignored: break
            }
        }
        let personCount = people.count
        state.withLock { state in
            state.injected += injectedHere
            state.personEvents += personCount
        }
        if let first = people.first { onPerson(first) }
    }
}
