/// One thing the X RECORD extension saw, in the server's order: real input (whoever caused it — a person
/// or an injecting tool) or a client changing the keymap that later keys are read with.
public enum RecordedInput: Sendable, Hashable {
    case key(pressed: Bool, keycode: UInt8, time: UInt32)
    case button(pressed: Bool, button: UInt8, at: Point, time: UInt32)
    case motion(at: Point, time: UInt32)
    /// Some client rebound keys (XKB `SetMap` key symbols, or the core `ChangeKeyboardMapping`).
    case keymap(KeymapEdit)
    /// A keymap change the decoder cannot follow key by key (new key types, a whole new keymap): the
    /// recorder reads the keymap again.
    case keymapReplaced
}

/// New symbols for some keycodes, as a client sent them to the server.
public struct KeymapEdit: Sendable, Hashable {
    public struct Key: Sendable, Hashable {
        public var keycode: UInt8
        /// Keysyms per group, then per level.
        public var groups: [[UInt32]]
        /// The XKB key type index of each group (nil: the server infers it, as for core requests).
        public var typeIndices: [Int]?
        /// XKB group info (group count and out-of-range handling), nil for core requests.
        public var groupInfo: UInt8?

        public init(keycode: UInt8, groups: [[UInt32]], typeIndices: [Int]? = nil, groupInfo: UInt8? = nil) {
            self.keycode = keycode
            self.groups = groups
            self.typeIndices = typeIndices
            self.groupInfo = groupInfo
        }
    }

    public var keys: [Key]

    public init(keys: [Key]) { self.keys = keys }
}
