#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DeskCore

/// Which parts of the screen changed between two frames, for deciding when the screen has settled.
public enum TileDiff {
    /// The `tile` x `tile` cells (clipped at the right and bottom edges) in which any pixel's colour differs,
    /// in frame-local pixels, row by row. BGRX pad bytes are ignored. Frames of different sizes are one
    /// change covering the larger; a `tile` below 1 counts as 1.
    public static func changedTiles(_ a: Frame, _ b: Frame, tile: Int = 64) -> [Rect] {
        let fa = a, fb = b
        guard fa.width == fb.width, fa.height == fb.height else {
            let w = max(fa.width, fb.width), h = max(fa.height, fb.height)
            return w > 0 && h > 0 ? [Rect(x: 0, y: 0, width: w, height: h)] : []
        }
        let t = max(1, tile)
        var changed: [Rect] = []
        for ty in Swift.stride(from: 0, to: fa.height, by: t) {
            for tx in Swift.stride(from: 0, to: fa.width, by: t) {
                let r = Rect(x: tx, y: ty, width: min(t, fa.width - tx), height: min(t, fa.height - ty))
                if differs(fa, fb, in: r) { changed.append(r) }
            }
        }
        return changed
    }

    private static func differs(_ a: Frame, _ b: Frame, in r: Rect) -> Bool {
        if a.format == b.format && a.format != .bgrx {
            // Same layout: compare raw row bytes.
            let bpp = a.format.bytesPerPixel, n = r.width * bpp
            return a.pixels.withUnsafeBytes { pa in
                b.pixels.withUnsafeBytes { pb in
                    guard let ba = pa.baseAddress, let bb = pb.baseAddress else { return false }
                    for y in r.y..<r.maxY {
                        let sa = y * a.stride + r.x * bpp, sb = y * b.stride + r.x * bpp
                        if memcmp(ba + sa, bb + sb, n) != 0 { return true }
                    }
                    return false
                }
            }
        }
        if a.format == .bgrx && b.format == .bgrx {
            return a.pixels.withUnsafeBufferPointer { pa in
                b.pixels.withUnsafeBufferPointer { pb in
                    for y in r.y..<r.maxY {
                        var sa = y * a.stride + r.x * 4, sb = y * b.stride + r.x * 4
                        for _ in 0..<r.width {
                            if pa[sa] != pb[sb] || pa[sa + 1] != pb[sb + 1] || pa[sa + 2] != pb[sb + 2] { return true }
                            sa += 4; sb += 4
                        }
                    }
                    return false
                }
            }
        }
        for y in r.y..<r.maxY {
            for x in r.x..<r.maxX where a.rgb(x: x, y: y) != b.rgb(x: x, y: y) { return true }
        }
        return false
    }
}
