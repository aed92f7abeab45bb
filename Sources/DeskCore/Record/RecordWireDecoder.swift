/// Decodes what the X RECORD extension hands over — raw X protocol in the recorded client's byte order —
/// into ``RecordedInput``: core device events (keys, buttons, motion) from the server, and the requests that
/// change the keymap (core `ChangeKeyboardMapping`, XKB `SetMap`) from clients.
///
/// Keymap requests matter because input tools (deskpilot's own typer, xdotool) bind spare keycodes for a
/// moment while they type: a key event can only be read with the keymap in force when it happened, and the
/// RECORD stream gives the requests in the same order as the events. Pure byte parsing: no X connection.
public struct RecordWireDecoder: Sendable {
    /// The XKEYBOARD extension's major opcode on this server, nil when it has none.
    public var xkbMajorOpcode: UInt8?

    static let keyPress: UInt8 = 2
    static let keyRelease: UInt8 = 3
    static let buttonPress: UInt8 = 4
    static let buttonRelease: UInt8 = 5
    static let motionNotify: UInt8 = 6
    static let changeKeyboardMapping: UInt8 = 100
    static let xkbSetMap: UInt8 = 9
    static let xkbGetKeyboardByName: UInt8 = 23
    /// The XKB minor opcodes a recorder asks RECORD for.
    public static let changeKeyboardMappingOpcode = changeKeyboardMapping
    public static let xkbSetMapMinor = Int(xkbSetMap)
    public static let xkbGetKeyboardByNameMinor = Int(xkbGetKeyboardByName)
    static let xkbKeyTypesMask: UInt16 = 1 << 0
    static let xkbKeySymsMask: UInt16 = 1 << 1

    public init(xkbMajorOpcode: UInt8?) {
        self.xkbMajorOpcode = xkbMajorOpcode
    }

    /// A device event the server processed (RECORD's "from server" category). Anything other than a core
    /// key, button or motion event gives nil.
    public func decodeEvent(_ bytes: [UInt8], swapped: Bool = false) -> RecordedInput? {
        guard bytes.count >= 32 else { return nil }
        let reader = WireReader(bytes: bytes, swapped: swapped)
        let type = bytes[0] & 0x7f
        let detail = bytes[1]
        let time = reader.u32(4)
        let at = Point(x: Int(reader.i16(20)), y: Int(reader.i16(22)))
        switch type {
        case Self.keyPress, Self.keyRelease:
            return .key(pressed: type == Self.keyPress, keycode: detail, time: time)
        case Self.buttonPress, Self.buttonRelease:
            return .button(pressed: type == Self.buttonPress, button: detail, at: at, time: time)
        case Self.motionNotify:
            return .motion(at: at, time: time)
        default:
            return nil
        }
    }

    /// A request some client sent (RECORD's "from client" category): keymap changes, else nil.
    public func decodeRequest(_ bytes: [UInt8], swapped: Bool = false) -> RecordedInput? {
        guard bytes.count >= 4 else { return nil }
        if bytes[0] == Self.changeKeyboardMapping { return decodeCoreMapping(bytes, swapped: swapped) }
        guard let xkb = xkbMajorOpcode, bytes[0] == xkb else { return nil }
        switch bytes[1] {
        case Self.xkbSetMap: return decodeSetMap(bytes, swapped: swapped)
        case Self.xkbGetKeyboardByName: return .keymapReplaced
        default: return nil
        }
    }

    /// `ChangeKeyboardMapping`: a keycode range, the same number of keysyms for each; the server turns them
    /// into XKB groups the way core compatibility says (G1L1 G1L2 G2L1 G2L2 G1L3 G1L4 …).
    private func decodeCoreMapping(_ bytes: [UInt8], swapped: Bool) -> RecordedInput? {
        guard bytes.count >= 8 else { return nil }
        let reader = WireReader(bytes: bytes, swapped: swapped)
        let count = Int(bytes[1])
        let first = Int(bytes[4])
        let perKey = Int(bytes[5])
        guard perKey > 0, bytes.count >= 8 + count * perKey * 4 else { return nil }
        var keys: [KeymapEdit.Key] = []
        for i in 0..<count where first + i <= 255 {
            let syms = (0..<perKey).map { reader.u32(8 + (i * perKey + $0) * 4) }
            keys.append(.init(keycode: UInt8(first + i), groups: Self.coreGroups(syms)))
        }
        return .keymap(KeymapEdit(keys: keys))
    }

    /// Core keysyms of one key as XKB groups: group 1 is entries 0, 1 and then 4…; group 2 entries 2, 3.
    static func coreGroups(_ syms: [UInt32]) -> [[UInt32]] {
        func trimmed(_ list: [UInt32]) -> [UInt32] {
            var list = list
            while let last = list.last, last == 0 { list.removeLast() }
            return list
        }
        let at: (Int) -> UInt32 = { $0 < syms.count ? syms[$0] : 0 }
        let group1 = trimmed([at(0), at(1)] + (syms.count > 4 ? Array(syms[4...]) : []))
        let group2 = trimmed([at(2), at(3)])
        if group2.isEmpty { return group1.isEmpty ? [] : [group1] }
        return [group1.isEmpty ? [0] : group1, group2]
    }

    /// XKB `SetMap`: a fixed header, then (in this order) key types and key symbols when `present` says so.
    private func decodeSetMap(_ bytes: [UInt8], swapped: Bool) -> RecordedInput? {
        let reader = WireReader(bytes: bytes, swapped: swapped)
        var offset = 36
        // BIG-REQUESTS: a zero length field means a 32-bit length follows the first word.
        if reader.u16(2) == 0 {
            guard bytes.count >= 40 else { return nil }
            return decodeSetMapBody(WireReader(bytes: Array(bytes[0..<4] + bytes[8...]), swapped: swapped), start: &offset)
        }
        return decodeSetMapBody(reader, start: &offset)
    }

    private func decodeSetMapBody(_ reader: WireReader, start offset: inout Int) -> RecordedInput? {
        guard reader.count >= 36 else { return nil }
        let present = reader.u16(6)
        let nTypes = Int(reader.u8(13))
        let firstKeySym = Int(reader.u8(14))
        let nKeySyms = Int(reader.u8(15))
        var replacedTypes = false
        if present & Self.xkbKeyTypesMask != 0 {
            replacedTypes = nTypes > 0
            for _ in 0..<nTypes {
                guard offset + 8 <= reader.count else { return .keymapReplaced }
                let entries = Int(reader.u8(offset + 5))
                let preserve = reader.u8(offset + 6) != 0
                offset += 8 + entries * 4 + (preserve ? entries * 4 : 0)
            }
        }
        guard present & Self.xkbKeySymsMask != 0, nKeySyms > 0 else {
            return replacedTypes ? .keymapReplaced : nil
        }
        var keys: [KeymapEdit.Key] = []
        for i in 0..<nKeySyms {
            guard offset + 8 <= reader.count else { return .keymapReplaced }
            let typeIndices = (0..<4).map { Int(reader.u8(offset + $0)) }
            let groupInfo = reader.u8(offset + 4)
            let width = Int(reader.u8(offset + 5))
            let nSyms = Int(reader.u16(offset + 6))
            offset += 8
            guard offset + nSyms * 4 <= reader.count else { return .keymapReplaced }
            let syms = (0..<nSyms).map { reader.u32(offset + $0 * 4) }
            offset += nSyms * 4
            let groupCount = Int(groupInfo & 0x0f)
            var groups: [[UInt32]] = []
            if width > 0 {
                for g in 0..<groupCount where (g + 1) * width <= syms.count {
                    groups.append(Array(syms[(g * width)..<((g + 1) * width)]))
                }
            }
            guard firstKeySym + i <= 255 else { break }
            keys.append(.init(keycode: UInt8(firstKeySym + i), groups: groups,
                              typeIndices: Array(typeIndices.prefix(groups.count)), groupInfo: groupInfo))
        }
        return replacedTypes ? .keymapReplaced : .keymap(KeymapEdit(keys: keys))
    }
}

/// Little reads from X protocol bytes in the sender's byte order (native little-endian unless swapped).
struct WireReader {
    let bytes: [UInt8]
    let swapped: Bool

    var count: Int { bytes.count }

    func u8(_ at: Int) -> UInt8 { at < bytes.count ? bytes[at] : 0 }

    func u16(_ at: Int) -> UInt16 {
        let a = UInt16(u8(at)), b = UInt16(u8(at + 1))
        return swapped ? (a << 8 | b) : (b << 8 | a)
    }

    func i16(_ at: Int) -> Int16 { Int16(bitPattern: u16(at)) }

    func u32(_ at: Int) -> UInt32 {
        let b = (0..<4).map { UInt32(u8(at + $0)) }
        return swapped ? (b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]) : (b[3] << 24 | b[2] << 16 | b[1] << 8 | b[0])
    }
}
