internal import CX11
import DeskCore
import Foundation

extension X11Display {
    /// The extensions `info` reports, by their protocol names.
    public static let reportedExtensions = ["MIT-SHM", "XTEST", "RANDR", "DAMAGE", "XFIXES", "XInputExtension", "XKEYBOARD", "Composite"]

    /// Everything `deskpilot info` shows; `capturer` tells which capture method really works, `sessionBus` is
    /// the D-Bus session bus of programs on this display (a private desktop's, else `DBUS_SESSION_BUS_ADDRESS`).
    public func info(capturer: ScreenCapturer, sessionBus: String?) -> DisplayInfo {
        var extensions: [String: Bool] = [:]
        for name in Self.reportedExtensions { extensions[name] = hasExtension(name) }
        // Try one small capture so the reported method is the one that works, not the one hoped for.
        _ = try? capturer.capture(.region(Rect(x: 0, y: 0, width: 1, height: 1)))
        let (vendor, depth) = withDisplay { d in
            (String(cString: XServerVendor(d)), Int(XDefaultDepth(d, screen)))
        }
        let xwayland = isXwayland()
        var warnings: [String] = []
        if xwayland {
            warnings.append("this X server is Xwayland: deskpilot's input reaches X11 clients only, not native Wayland windows, and capture may fail on the rootless root")
        }
        for name in ["XTEST", "MIT-SHM", "RANDR", "XFIXES", "DAMAGE"] where extensions[name] != true {
            warnings.append("the \(name) extension is missing")
        }
        let busAnswers = sessionBus.map { BusProbe.busAnswers(address: $0, timeout: 2) } ?? false
        let a11yBus = (busAnswers ? sessionBus.flatMap { BusProbe.accessibilityBusAddress(sessionBus: $0, timeout: 2) } : nil)
            ?? propertyString(root, "AT_SPI_BUS")
        let a11yAnswers = a11yBus.map { BusProbe.accessibilityBusAnswers(address: $0, timeout: 2) } ?? false
        return DisplayInfo(display: self.name, vendor: vendor, screen: screenSize, depth: depth, monitors: monitors(),
                           extensions: extensions, captureMethod: capturer.method,
                           captureFallbackReason: capturer.fallbackReason, keyboard: keyboardDescription(),
                           windowManager: hasWindowManager, windowManagerName: windowManagerName, sessionBus: sessionBus,
                           sessionBusAnswers: busAnswers, accessibilityBus: a11yBus,
                           accessibilityBusAnswers: a11yAnswers, xwayland: xwayland, warnings: warnings)
    }

    /// The XKB rules names (`_XKB_RULES_NAMES` on the root) and the active group.
    public func keyboardDescription() -> DisplayInfo.Keyboard {
        var fields = ["", "", "", "", ""]
        if let p = property(root, "_XKB_RULES_NAMES"), p.format == 8 {
            let parts = p.bytes.split(separator: 0, omittingEmptySubsequences: false).map {
                String(decoding: $0, as: UTF8.self)
            }
            for (i, part) in parts.prefix(5).enumerated() { fields[i] = part }
        }
        let group: Int = withDisplay { d in
            var state = XkbStateRec()
            guard XkbGetState(d, UInt32(XkbUseCoreKbd), &state) == Success else { return 0 }
            return Int(state.group)
        }
        return DisplayInfo.Keyboard(rules: fields[0], model: fields[1], layout: fields[2], variant: fields[3],
                                    options: fields[4], group: group)
    }

    /// Xwayland names its input devices `xwayland-…`; no other server does.
    public func isXwayland() -> Bool {
        if withDisplay({ String(cString: XServerVendor($0)) }).lowercased().contains("wayland") { return true }
        return withDisplay { d in
            var count: Int32 = 0
            guard let devices = XListInputDevices(d, &count) else { return false }
            defer { XFreeDeviceList(devices) }
            for i in 0..<Int(count) {
                if let name = devices[i].name, String(cString: name).lowercased().hasPrefix("xwayland") { return true }
            }
            return false
        }
    }
}
