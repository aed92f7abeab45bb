/// Decides whether an input event came from a person at a physical device or was injected (by deskpilot
/// or any other XTest client), from the event's source device id and the server's device list.
///
/// This is the part of "a person takes over" that can be tested without hardware: Xvfb has no physical
/// devices, so on it every event comes from an XTEST device. The X server gives each master a pair of XTEST
/// slaves ("Virtual core XTEST pointer", "Virtual core XTEST keyboard", and "<master> XTEST …" for extra
/// masters), and every `XTestFake…Event` is reported as coming from one of them, whichever client sent it.
///
/// Known limits: input relayed through XTest by a remote-desktop server (x11vnc, some RDP servers) looks
/// injected and is not seen as a person; servers that create their own devices (Xvnc, Xwayland) are seen
/// as physical, which is what they are for this purpose.
public enum UserInputClassifier {
    /// What produced an event.
    public enum Verdict: Sendable, Hashable {
        /// A physical (or remote-desktop) device: a person is using the desktop.
        case person(device: String)
        /// An XTEST device: injected input, deskpilot's own or another tool's.
        case injected(device: String)
        /// A device that sends events nobody typed (power and sleep buttons, lid switch, video bus hotkeys
        /// raised by the firmware), or a master (events are attributed to slaves, never to masters).
        case ignored(device: String)
        /// The id is not in the device list: a device plugged in after the list was read. Read the list
        /// again and ask again; if it is still unknown, treat it as a person (see ``isPerson(sourceID:devices:)``).
        case unknownDevice(id: Int)
    }

    /// Device names (compared case-insensitively, as whole names) whose key events come from the machine
    /// rather than a person's hands.
    public static let ignoredDeviceNames: Set<String> = [
        "power button", "sleep button", "lid switch", "video bus", "intel hid events", "intel hid 5 button array",
        "thinkpad extra buttons", "asus wmi hotkeys", "dell wmi hotkeys", "hp wmi hotkeys", "acpi virtual keyboard device",
    ]

    /// The verdict for an event whose source device is `sourceID`.
    public static func classify(sourceID: Int, devices: [InputDevice]) -> Verdict {
        guard let device = devices.first(where: { $0.id == sourceID }) else { return .unknownDevice(id: sourceID) }
        switch device.use {
        case .masterPointer, .masterKeyboard: return .ignored(device: device.name)
        case .slavePointer, .slaveKeyboard, .floatingSlave: break
        }
        if isXTestDevice(name: device.name) { return .injected(device: device.name) }
        if ignoredDeviceNames.contains(device.name.lowercased().trimmingCharacters(in: .whitespaces)) {
            return .ignored(device: device.name)
        }
        return .person(device: device.name)
    }

    /// True when the event should pause the run: a person's device, or one the list does not know (a device
    /// plugged in mid-run is far more likely a person than an injector; callers re-read the list first).
    public static func isPerson(sourceID: Int, devices: [InputDevice]) -> Bool {
        switch classify(sourceID: sourceID, devices: devices) {
        case .person, .unknownDevice: return true
        case .injected, .ignored: return false
        }
    }

    /// True for the XTEST slave devices the server creates for each master ("Virtual core XTEST pointer",
    /// "Virtual core XTEST keyboard", "<master name> XTEST pointer").
    public static func isXTestDevice(name: String) -> Bool {
        name.hasSuffix(" XTEST pointer") || name.hasSuffix(" XTEST keyboard")
    }
}
