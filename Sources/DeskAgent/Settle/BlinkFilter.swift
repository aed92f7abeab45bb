import DeskCore

/// Tells a blinking text caret from a real change, so settling can see through it.
///
/// Editors blink their caret every ~500 ms (FeatherPad, GTK entries, LibreOffice): judged by pixels or
/// DAMAGE, such a screen never stays unchanged. A change counts as a blink when every changed pixel lies in
/// one thin box (at most ``maxThickness`` pixels across and ``maxLength`` long — a caret, never a glyph, a
/// check mark or a button) and that box goes back to a state it has shown before: the first toggle of a
/// caret counts as a change, every later one does not. A real edit moves the caret and draws a glyph, which
/// makes the box wide, so it always counts.
public struct BlinkFilter: Sendable {
    /// The thin side of a caret's box, in pixels (a 1–2 px bar, or an underscore caret).
    public static let maxThickness = 4
    /// The long side, in pixels (a caret spans one line of text, even at large sizes).
    public static let maxLength = 80
    /// The states kept per box (a caret has two: on and off).
    static let maxStates = 3

    private var states: [Rect: [[UInt8]]] = [:]

    public init() {}

    /// Whether the change from `previous` to `next`, whose changed tiles are `tiles`, is only a caret blink.
    /// Learns the box's states as it goes.
    public mutating func isBlink(_ tiles: [Rect], from previous: Frame, to next: Frame) -> Bool {
        guard !tiles.isEmpty, tiles.count <= 4, previous.width == next.width, previous.height == next.height,
              previous.format == next.format,
              let box = Self.changedBox(previous, next, in: tiles), Self.isThin(box) else { return false }
        let before = Self.bytes(previous, box), after = Self.bytes(next, box)
        var seen = states[box] ?? []
        if !seen.contains(before) { seen.append(before) }
        let blink = seen.contains(after)
        if !blink { seen.append(after) }
        states[box] = Array(seen.suffix(Self.maxStates))
        if states.count > 64 { states = [box: states[box] ?? []] }  // carets move; forget old places
        return blink
    }

    /// The real changes among `tiles`: none when the change is a blink, all of them otherwise.
    public mutating func realChanges(_ tiles: [Rect], from previous: Frame, to next: Frame) -> [Rect] {
        isBlink(tiles, from: previous, to: next) ? [] : tiles
    }

    static func isThin(_ box: Rect) -> Bool {
        min(box.width, box.height) <= maxThickness && max(box.width, box.height) <= maxLength
    }

    /// The bounding box of the pixels that differ inside `tiles` (frame-local), nil when none does.
    static func changedBox(_ a: Frame, _ b: Frame, in tiles: [Rect]) -> Rect? {
        let bpp = a.format.bytesPerPixel
        let compared = a.format == .bgrx ? 3 : bpp  // the pad byte of BGRX is not a colour
        // Frames from fakes may carry fewer bytes than their size says: then nothing is judged a blink.
        let needed = a.height > 0 ? (a.height - 1) * a.stride + a.width * bpp : 0
        guard a.stride == b.stride, a.pixels.count >= needed, b.pixels.count >= needed else { return nil }
        var minX = Int.max, minY = Int.max, maxX = -1, maxY = -1
        a.pixels.withUnsafeBufferPointer { pa in
            b.pixels.withUnsafeBufferPointer { pb in
                for tile in tiles {
                    let x0 = max(0, tile.x), y0 = max(0, tile.y)
                    let x1 = min(a.width, tile.maxX), y1 = min(a.height, tile.maxY)
                    guard x0 < x1, y0 < y1 else { continue }
                    for y in y0..<y1 {
                        let row = y * a.stride
                        for x in x0..<x1 {
                            let i = row + x * bpp
                            var differs = false
                            for c in 0..<compared where pa[i + c] != pb[i + c] { differs = true; break }
                            if differs {
                                minX = min(minX, x); maxX = max(maxX, x)
                                minY = min(minY, y); maxY = max(maxY, y)
                            }
                        }
                    }
                }
            }
        }
        guard maxX >= 0 else { return nil }
        return Rect(x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1)
    }

    /// The colour bytes of `box` (pad bytes dropped), row by row.
    static func bytes(_ frame: Frame, _ box: Rect) -> [UInt8] {
        let bpp = frame.format.bytesPerPixel
        let compared = frame.format == .bgrx ? 3 : bpp
        var out: [UInt8] = []
        out.reserveCapacity(box.width * box.height * compared)
        for y in box.y..<box.maxY {
            for x in box.x..<box.maxX {
                let i = y * frame.stride + x * bpp
                for c in 0..<compared { out.append(frame.pixels[i + c]) }
            }
        }
        return out
    }
}
