import DeskCore
import Testing

@Suite("Record: wire decoding")
struct RecordDecoderTests {
    let decoder = RecordWireDecoder(xkbMajorOpcode: 135)

    /// A core device event as the server records it: type, detail, sequence, time, root, event, child,
    /// root x/y, event x/y, state, same-screen.
    func event(type: UInt8, detail: UInt8, time: UInt32, x: Int16 = 0, y: Int16 = 0) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 32)
        bytes[0] = type
        bytes[1] = detail
        for i in 0..<4 { bytes[4 + i] = UInt8((time >> (8 * UInt32(i))) & 0xff) }
        bytes[20] = UInt8(UInt16(bitPattern: x) & 0xff); bytes[21] = UInt8(UInt16(bitPattern: x) >> 8)
        bytes[22] = UInt8(UInt16(bitPattern: y) & 0xff); bytes[23] = UInt8(UInt16(bitPattern: y) >> 8)
        return bytes
    }

    func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xff), UInt8((v >> 8) & 0xff)] }
    func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * UInt32($0))) & 0xff) } }

    @Test func keysButtonsAndMotion() {
        #expect(decoder.decodeEvent(event(type: 2, detail: 38, time: 1000)) == .key(pressed: true, keycode: 38, time: 1000))
        #expect(decoder.decodeEvent(event(type: 3, detail: 38, time: 1010)) == .key(pressed: false, keycode: 38, time: 1010))
        #expect(decoder.decodeEvent(event(type: 4, detail: 1, time: 5, x: 100, y: 140))
                == .button(pressed: true, button: 1, at: Point(x: 100, y: 140), time: 5))
        #expect(decoder.decodeEvent(event(type: 6, detail: 0, time: 7, x: -3, y: 2000)) == .motion(at: Point(x: -3, y: 2000), time: 7))
        // Synthetic (sent-event bit) is the same event; other types and short data are nothing.
        #expect(decoder.decodeEvent(event(type: 0x82, detail: 9, time: 1)) == .key(pressed: true, keycode: 9, time: 1))
        #expect(decoder.decodeEvent(event(type: 12, detail: 0, time: 1)) == nil)
        #expect(decoder.decodeEvent([2, 38, 0]) == nil)
    }

    @Test func coreChangeKeyboardMappingBecomesGroups() {
        // Two keycodes from 200, four keysyms each: a/A in group 1, Cyrillic ef/EF in group 2; then one
        // key with a single keysym.
        var request: [UInt8] = [100, 2] + le16(2 + 8) + [200, 4, 0, 0]
        request += [0x61, 0x41, 0x6c6, 0x6e6].flatMap { le32($0) }
        request += [0x20ac, 0, 0, 0].flatMap { le32($0) }
        guard case .keymap(let edit)? = decoder.decodeRequest(sized(request)) else {
            Issue.record("not a keymap edit")
            return
        }
        #expect(edit.keys == [
            KeymapEdit.Key(keycode: 200, groups: [[0x61, 0x41], [0x6c6, 0x6e6]]),
            KeymapEdit.Key(keycode: 201, groups: [[0x20ac]]),
        ])
    }

    func setMapHeader(present: UInt16, nTypes: UInt8 = 0, firstKeySym: UInt8, nKeySyms: UInt8, words: Int) -> [UInt8] {
        var header = [UInt8](repeating: 0, count: 36)
        header[0] = 135
        header[1] = 9
        header[2] = UInt8(words & 0xff); header[3] = UInt8(words >> 8)
        header[4] = 0x00; header[5] = 0x01 // XkbUseCoreKbd
        header[6] = UInt8(present & 0xff); header[7] = UInt8(present >> 8)
        header[13] = nTypes
        header[14] = firstKeySym
        header[15] = nKeySyms
        return header
    }

    /// Sets the request's length field (in 4-byte words) from its bytes, padding to a word boundary.
    func sized(_ request: [UInt8]) -> [UInt8] {
        var r = request
        while r.count % 4 != 0 { r.append(0) }
        r[2] = UInt8((r.count / 4) & 0xff); r[3] = UInt8((r.count / 4) >> 8)
        return r
    }

    @Test func xkbSetMapKeySymbols() {
        // What deskpilot's typer sends: one-level € on keycode 250 and an alphabetic ß/ẞ pair on 251.
        var request = setMapHeader(present: 2, firstKeySym: 250, nKeySyms: 2, words: 0)
        request += [0, 0, 0, 0, 1, 1] + le16(1) + le32(0x10020ac)
        request += [2, 0, 0, 0, 1, 2] + le16(2) + le32(0xdf) + le32(0x1001e9e)
        guard case .keymap(let edit)? = decoder.decodeRequest(sized(request)) else {
            Issue.record("not a keymap edit")
            return
        }
        #expect(edit.keys == [
            KeymapEdit.Key(keycode: 250, groups: [[0x10020ac]], typeIndices: [0], groupInfo: 1),
            KeymapEdit.Key(keycode: 251, groups: [[0xdf, 0x1001e9e]], typeIndices: [2], groupInfo: 1),
        ])
        // A key cleared again: no groups.
        var clear = setMapHeader(present: 2, firstKeySym: 250, nKeySyms: 1, words: 0)
        clear += [0, 0, 0, 0, 0, 0] + le16(0)
        #expect(decoder.decodeRequest(sized(clear)) == .keymap(KeymapEdit(keys: [KeymapEdit.Key(keycode: 250, groups: [], typeIndices: [], groupInfo: 0)])))
    }

    @Test func newKeyTypesOrAWholeKeymapMeanReread() {
        // One key type with two map entries and preserve, before the symbols.
        var request = setMapHeader(present: 3, nTypes: 1, firstKeySym: 250, nKeySyms: 1, words: 0)
        request += [1, 1, 0, 0, 2, 2, 1, 0] + [1, 1, 0, 0, 1, 2, 0, 0] + [0, 0, 0, 0, 0, 0, 0, 0]
        request += [0, 0, 0, 0, 1, 1] + le16(1) + le32(0x61)
        #expect(decoder.decodeRequest(sized(request)) == .keymapReplaced)
        #expect(decoder.decodeRequest([135, 23, 2, 0, 0, 0, 0, 0]) == .keymapReplaced)
        // Other XKB requests and other extensions are not keymap changes.
        #expect(decoder.decodeRequest([135, 4, 2, 0, 0, 0, 0, 0]) == nil)
        #expect(decoder.decodeRequest([136, 9, 2, 0, 0, 0, 0, 0]) == nil)
        #expect(RecordWireDecoder(xkbMajorOpcode: nil).decodeRequest(sized(request)) == nil)
    }

    @Test func truncatedOrHostileBytesNeverCrash() {
        // A symbol map that claims more keysyms than the request holds.
        var request = setMapHeader(present: 2, firstKeySym: 250, nKeySyms: 3, words: 0)
        request += [0, 0, 0, 0, 1, 1] + le16(200)
        #expect(decoder.decodeRequest(sized(request)) == .keymapReplaced)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5000 {
            let count = Int.random(in: 0...120, using: &generator)
            var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if !bytes.isEmpty { bytes[0] = [100, 135, 2, 4, 6].randomElement(using: &generator)! }
            if bytes.count > 1, bytes[0] == 135 { bytes[1] = [9, 23].randomElement(using: &generator)! }
            _ = decoder.decodeRequest(bytes)
            _ = decoder.decodeEvent(bytes)
        }
    }
}
