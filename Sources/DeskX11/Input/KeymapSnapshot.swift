internal import CX11
import DeskCore

/// The keyboard mapping of a display at one moment: the core map clients read (`XGetKeyboardMapping`) and
/// the XKB map of the XTEST device (symbols, key types, groups), so tests and cleanup can prove that
/// temporary bindings left nothing behind.
public struct KeymapSnapshot: Equatable, Sendable {
    /// Core keysyms, `keysymsPerKeycode` per keycode from `minKeycode`.
    public let coreKeysyms: [UInt]
    public let keysymsPerKeycode: Int
    public let minKeycode: Int
    let xtest: KeyboardLayout

    /// Reads the current mapping of `display`.
    public static func capture(_ display: X11Display) throws -> KeymapSnapshot {
        let map = try KeyboardMap(display: display)
        let layout = try map.layout()
        let (core, perKey, minKC): ([UInt], Int, Int) = display.withDisplay { d in
            var low: Int32 = 0, high: Int32 = 0
            XDisplayKeycodes(d, &low, &high)
            var perKeycode: Int32 = 0
            guard let syms = XGetKeyboardMapping(d, UInt8(low), high - low + 1, &perKeycode) else { return ([], 0, Int(low)) }
            defer { XFree(syms) }
            let count = Int(high - low + 1) * Int(perKeycode)
            return (Array(UnsafeBufferPointer(start: syms, count: count)), Int(perKeycode), Int(low))
        }
        return KeymapSnapshot(coreKeysyms: core, keysymsPerKeycode: perKey, minKeycode: minKC, xtest: layout)
    }

    /// Keycodes whose mapping differs between the two snapshots (empty when equal).
    public func differingKeycodes(from other: KeymapSnapshot) -> [Int] {
        var result = Set<Int>()
        for kc in 0..<min(xtest.keys.count, other.xtest.keys.count) where xtest.keys[kc] != other.xtest.keys[kc] {
            result.insert(kc)
        }
        if keysymsPerKeycode == other.keysymsPerKeycode, keysymsPerKeycode > 0 {
            for i in 0..<min(coreKeysyms.count, other.coreKeysyms.count) where coreKeysyms[i] != other.coreKeysyms[i] {
                result.insert(minKeycode + i / keysymsPerKeycode)
            }
        } else if coreKeysyms != other.coreKeysyms {
            result.insert(-1)
        }
        return result.sorted()
    }
}

extension X11Display {
    /// Keycodes the server reports down (`XQueryKeymap`), from any device.
    public func pressedKeycodes() -> [Int] {
        withDisplay { d in
            var bits = [CChar](repeating: 0, count: 32)
            XQueryKeymap(d, &bits)
            var result: [Int] = []
            for i in 0..<256 where (UInt8(bitPattern: bits[i / 8]) >> (i % 8)) & 1 == 1 { result.append(i) }
            return result
        }
    }

    /// Pointer buttons 1–5 held down, from `XQueryPointer`'s mask.
    public func pressedButtons() -> [Int] {
        withDisplay { d in
            var rootReturn: UInt = 0, child: UInt = 0
            var rx: Int32 = 0, ry: Int32 = 0, wx: Int32 = 0, wy: Int32 = 0
            var mask: UInt32 = 0
            XQueryPointer(d, root, &rootReturn, &child, &rx, &ry, &wx, &wy, &mask)
            return (1...5).filter { mask & (UInt32(1) << (7 + UInt32($0))) != 0 }
        }
    }
}
