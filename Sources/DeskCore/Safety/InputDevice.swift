/// An input device as the X server lists it (XInput 2 `XIQueryDevice`), reduced to what deciding "did a
/// person do this?" needs. Built by DeskX11; judged by ``UserInputClassifier``.
public struct InputDevice: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The device's role in the XInput 2 hierarchy.
    public enum Use: String, Sendable, Hashable, Codable, CaseIterable {
        /// A master pointer ("Virtual core pointer"): the cursor every slave pointer moves.
        case masterPointer
        /// A master keyboard ("Virtual core keyboard").
        case masterKeyboard
        /// A pointing device attached to a master (a mouse, a touchpad, or the XTEST pointer).
        case slavePointer
        /// A keyboard attached to a master (a keyboard, a power button, or the XTEST keyboard).
        case slaveKeyboard
        /// A slave attached to no master: its events move no cursor and type into no window.
        case floatingSlave
    }

    /// The server's device id (what raw events carry as their source).
    public var id: Int
    /// The name the server or driver gave the device ("Virtual core XTEST keyboard", "Logitech USB Receiver").
    public var name: String
    public var use: Use
    /// The master it is attached to (for slaves), or its paired master (for masters).
    public var attachment: Int
    /// False for a disabled device.
    public var enabled: Bool

    public init(id: Int, name: String, use: Use, attachment: Int = 0, enabled: Bool = true) {
        self.id = id
        self.name = name
        self.use = use
        self.attachment = attachment
        self.enabled = enabled
    }

    public var description: String { "\(id) '\(name)' (\(use.rawValue))" }
}
