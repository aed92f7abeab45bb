internal import CX11
import Synchronization
import DeskCore
import Foundation

/// What a spare key is bound to: one keysym (key type ONE_LEVEL) or a lowercase/uppercase pair (ALPHABETIC,
/// so Caps Lock and Shift act on it as on a real letter key).
struct SpareBinding: Hashable, Sendable {
    var lower: UInt32
    var upper: UInt32?
}

/// The XKB keymap of the device XTest injects through, read and (temporarily) changed.
///
/// XTest events come from the "Virtual core XTEST keyboard" slave; the master copies the keymap of whichever
/// slave sent the last event, so looking keys up in the master's map while a physical keyboard has another
/// layout types the wrong characters (xdotool#150, #414). Lookups therefore read the XTEST device's map.
/// Temporary bindings go through `XkbUseCoreKbd` when the XTEST and master maps agree (the server applies the
/// change to the master and every slave, so clients and XTest see the same map), and to the XTEST device alone
/// when they differ (the master takes it over with the first XTest event).
///
/// Bindings are written with one `XkbChangeMap` per batch rather than `XChangeKeyboardMapping`: the core
/// request only covers a contiguous keycode range with one type per key inferred by the server, so binding
/// the scattered free keycodes (93, 97, 103, … 248 on Xvfb) would take one request — and one MappingNotify
/// that every client answers with a keymap refetch — per keycode, and it cannot give a key the ALPHABETIC
/// type explicitly.
final class KeyboardMap: Sendable {
    let display: X11Display
    /// The XInput id of the XTEST keyboard, nil when the server has none (then the core keyboard is used).
    /// Looked up at first use: a pointer action never reads the keymap, and the lookup is three round trips.
    var xtestDeviceID: UInt32? {
        xtestDevice.withLock { cached in
            if let cached { return cached }
            let found = Self.findXTestKeyboard(display)
            cached = .some(found)
            return found
        }
    }
    private let xtestDevice = Mutex<UInt32??>(nil)

    static let coreKeyboard = UInt32(XkbUseCoreKbd)

    init(display: X11Display) throws {
        self.display = display
        let ok: Bool = display.withDisplay { d in
            var opcode: Int32 = 0, event: Int32 = 0, error: Int32 = 0
            var major = Int32(XkbMajorVersion), minor = Int32(XkbMinorVersion)
            return XkbQueryExtension(d, &opcode, &event, &error, &major, &minor) != 0
        }
        guard ok else {
            throw X11Error(.extensionMissing, display: display.name, "the XKEYBOARD extension is missing; deskpilot needs it to type")
        }
    }

    /// The slave keyboard XTest injects through, found by its server-given name ("… XTEST keyboard").
    private static func findXTestKeyboard(_ display: X11Display) -> UInt32? {
        guard display.hasExtension("XInputExtension") else { return nil }
        return display.withDisplay { d -> UInt32? in
            var count: Int32 = 0
            guard let list = XListInputDevices(d, &count) else { return nil }
            defer { XFreeDeviceList(list) }
            for i in 0..<Int(count) {
                let info = list[i]
                guard let cName = info.name else { continue }
                let name = String(cString: cName)
                if name.hasSuffix("XTEST keyboard") { return UInt32(info.id) }
            }
            return nil
        }
    }

    /// The device lookups read.
    var lookupDevice: UInt32 { xtestDeviceID ?? Self.coreKeyboard }

    /// Reads the keymap of `device` (the XTEST keyboard by default).
    func layout(device: UInt32? = nil) throws -> KeyboardLayout {
        let spec = device ?? lookupDevice
        return try display.checked("reading the keymap of keyboard device \(spec)") { d in
            guard let desc = XkbGetMap(d, UInt32(XkbKeyTypesMask | XkbKeySymsMask | XkbModifierMapMask), spec) else {
                throw X11Error(.requestFailed, display: display.name, "XkbGetMap failed for keyboard device \(spec)")
            }
            defer { XkbFreeKeyboard(desc, UInt32(XkbAllComponentsMask), 1) }
            _ = XkbGetNames(d, UInt32(XkbKeyNamesMask), desc)
            return Self.extract(desc)
        }
    }

    private static func extract(_ desc: XkbDescPtr) -> KeyboardLayout {
        let minKC = Int(desc.pointee.min_key_code)
        let maxKC = Int(desc.pointee.max_key_code)
        var types: [KeyboardLayout.KeyType] = []
        var keys = [KeyboardLayout.Key](repeating: .empty, count: 256)
        var modmap = [UInt8](repeating: 0, count: 256)
        guard let map = desc.pointee.map else {
            return KeyboardLayout(minKeycode: minKC, maxKeycode: maxKC, types: [], keys: keys, modmap: modmap)
        }
        if let rawTypes = map.pointee.types {
            for t in 0..<Int(map.pointee.num_types) {
                let type = rawTypes[t]
                var entries: [KeyboardLayout.KeyType.Entry] = []
                if let rawEntries = type.map {
                    for e in 0..<Int(type.map_count) {
                        let entry = rawEntries[e]
                        entries.append(.init(active: entry.active != 0, level: Int(entry.level), mask: entry.mods.mask))
                    }
                }
                types.append(.init(modsMask: type.mods.mask, numLevels: Int(type.num_levels), entries: entries))
            }
        }
        var nameBuffer = [CChar](repeating: 0, count: 5)
        for kc in minKC...maxKC {
            let groupCount = Int(cx11_key_num_groups(desc, Int32(kc)))
            var groups: [[UInt32]] = []
            var typeIndices: [Int] = []
            for g in 0..<groupCount {
                let width = Int(cx11_key_group_width(desc, Int32(kc), Int32(g)))
                groups.append((0..<width).map { UInt32(truncatingIfNeeded: cx11_key_sym_entry(desc, Int32(kc), Int32($0), Int32(g))) })
                typeIndices.append(Int(cx11_key_type_index(desc, Int32(kc), Int32(g))))
            }
            cx11_key_name(desc, Int32(kc), &nameBuffer)
            let name = String(decoding: nameBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            keys[kc] = KeyboardLayout.Key(groups: groups, typeIndices: typeIndices,
                                          groupInfo: UInt8(truncatingIfNeeded: cx11_key_group_info(desc, Int32(kc))),
                                          name: name.trimmingCharacters(in: .whitespaces))
            if let rawModmap = map.pointee.modmap { modmap[kc] = rawModmap[kc] }
        }
        return KeyboardLayout(minKeycode: minKC, maxKeycode: maxKC, types: types, keys: keys, modmap: modmap)
    }

    /// The core keyboard's state: the group and the real modifiers in effect (what clients see in events).
    func state() -> KeyboardLayout.State {
        display.withDisplay { d in
            var state = XkbStateRec()
            _ = XkbGetState(d, Self.coreKeyboard, &state)
            return KeyboardLayout.State(group: Int(state.group), mods: state.mods)
        }
    }

    /// The device to write bindings to: the core keyboard (master and all slaves) when its map equals the XTEST
    /// device's, else the XTEST device alone.
    func changeDevice() throws -> UInt32 {
        guard let xtest = xtestDeviceID else { return Self.coreKeyboard }
        let core = try layout(device: Self.coreKeyboard)
        let slave = try layout(device: xtest)
        return core.keys == slave.keys && core.types == slave.types ? Self.coreKeyboard : xtest
    }

    /// Binds (or, for nil, clears) spare keycodes in one `XkbChangeMap`: one keymap change, so one refetch
    /// per client, whatever the number of keys. A key to clear is left alone when it no longer carries what
    /// `clearingOnlyIf` says this process bound there (a layout switch meanwhile reused it).
    func apply(_ changes: [UInt8: SpareBinding?], device: UInt32, clearingOnlyIf expected: [UInt8: SpareBinding] = [:]) throws {
        guard !changes.isEmpty else { return }
        try display.checked("binding \(changes.count) spare keycode(s) on keyboard device \(device)") { d in
            let which = UInt32(XkbKeyTypesMask | XkbKeySymsMask | XkbKeyActionsMask)
            guard let desc = XkbGetMap(d, which, device) else {
                throw X11Error(.requestFailed, display: display.name, "XkbGetMap failed for keyboard device \(device)")
            }
            defer { XkbFreeKeyboard(desc, UInt32(XkbAllComponentsMask), 1) }
            var low = Int.max, high = Int.min
            for (keycode, binding) in changes.sorted(by: { $0.key < $1.key }) {
                let kc = Int32(keycode)
                if binding == nil, let mine = expected[keycode] {
                    let width = cx11_key_num_groups(desc, kc) == 1 ? Int(cx11_key_group_width(desc, kc, 0)) : 0
                    let current = (0..<width).map { UInt32(truncatingIfNeeded: cx11_key_sym_entry(desc, kc, Int32($0), 0)) }
                    if current != [mine.lower] + (mine.upper.map { [$0] } ?? []) { continue }
                }
                var typeList: [Int32] = [Int32(XkbOneLevelIndex), Int32(XkbOneLevelIndex),
                                         Int32(XkbOneLevelIndex), Int32(XkbOneLevelIndex)]
                // Clearing first keeps XkbChangeTypesOfKey on its "no old groups" path, which never touches
                // key actions (it would dereference the absent server map otherwise).
                _ = XkbChangeTypesOfKey(desc, kc, 0, UInt32(XkbGroup1Mask), &typeList, nil)
                if let binding {
                    typeList[0] = Int32(binding.upper == nil ? XkbOneLevelIndex : XkbAlphabeticIndex)
                    let status = XkbChangeTypesOfKey(desc, kc, 1, UInt32(XkbGroup1Mask), &typeList, nil)
                    guard status == Success, let syms = cx11_key_syms_ptr(desc, kc) else {
                        throw X11Error(.requestFailed, display: display.name, "cannot give keycode \(keycode) a key type (status \(status))")
                    }
                    syms[0] = KeySym(binding.lower)
                    if let upper = binding.upper { syms[1] = KeySym(upper) }
                }
                low = min(low, Int(keycode))
                high = max(high, Int(keycode))
            }
            guard low <= high else { return }
            var mapChanges = XkbMapChangesRec()
            mapChanges.changed = UInt16(XkbKeySymsMask)
            mapChanges.first_key_sym = UInt8(low)
            mapChanges.num_key_syms = UInt8(high - low + 1)
            guard XkbChangeMap(d, desc, &mapChanges) != 0 else {
                throw X11Error(.requestFailed, display: display.name, "XkbChangeMap failed on keyboard device \(device)")
            }
        }
    }
}
