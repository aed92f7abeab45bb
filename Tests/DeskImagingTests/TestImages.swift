import DeskCore

/// A small deterministic generator (SplitMix64) so test images are the same on every run.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Synthetic images for the imaging tests.
enum TestImages {
    /// Random bytes in `format`, with `padding` extra bytes at the end of every row (also random).
    static func noise(width: Int, height: Int, format: PixelFormat, padding: Int = 0, seed: UInt64 = 1) -> Frame {
        var rng = SeededRandom(seed: seed)
        let stride = width * format.bytesPerPixel + padding
        let pixels = (0..<(stride * height)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        return try! Frame(width: width, height: height, stride: stride, format: format, pixels: pixels)
    }

    /// A frame of one colour.
    static func flat(width: Int, height: Int, r: UInt8, g: UInt8, b: UInt8, format: PixelFormat = .rgb) -> Frame {
        var frame = try! Frame(width: width, height: height, stride: width * format.bytesPerPixel, format: format,
                          pixels: [UInt8](repeating: 0, count: width * height * format.bytesPerPixel))
        for y in 0..<height { for x in 0..<width { set(&frame, x, y, (r, g, b)) } }
        return frame
    }

    /// Writes one pixel of an `.rgb` or `.bgrx` frame (the pad byte gets 0x5A, never 0xFF).
    static func set(_ frame: inout Frame, _ x: Int, _ y: Int, _ c: (UInt8, UInt8, UInt8)) {
        let i = y * frame.stride + x * frame.format.bytesPerPixel
        switch frame.format {
        case .rgb: frame[byte: i] = c.0; frame[byte: i + 1] = c.1; frame[byte: i + 2] = c.2
        case .rgba: frame[byte: i] = c.0; frame[byte: i + 1] = c.1; frame[byte: i + 2] = c.2; frame[byte: i + 3] = 255
        case .bgrx: frame[byte: i] = c.2; frame[byte: i + 1] = c.1; frame[byte: i + 2] = c.0; frame[byte: i + 3] = 0x5A
        case .gray: frame[byte: i] = UInt8((Int(c.0) + Int(c.1) + Int(c.2)) / 3)
        }
    }

    /// A desktop-like picture: flat panels, bordered buttons, rows of glyph-like strokes, a gradient icon
    /// strip. Mostly flat with sharp detail, like real UI, so PNG and matching behave as on screenshots.
    static func ui(width: Int, height: Int, format: PixelFormat = .bgrx, seed: UInt64 = 7) -> Frame {
        var rng = SeededRandom(seed: seed)
        var frame = flat(width: width, height: height, r: 236, g: 236, b: 236, format: format)
        func fill(_ x0: Int, _ y0: Int, _ w: Int, _ h: Int, _ c: (UInt8, UInt8, UInt8)) {
            for y in max(0, y0)..<min(height, y0 + h) { for x in max(0, x0)..<min(width, x0 + w) { set(&frame, x, y, c) } }
        }
        fill(0, 0, width, min(height, 28), (48, 52, 60))  // title bar
        fill(0, 28, min(width, width / 6), height, (250, 250, 252))  // sidebar
        // Buttons with borders.
        var bx = width / 6 + 12
        while bx + 90 < width {
            fill(bx, 40, 84, 26, (90, 90, 96)); fill(bx + 1, 41, 82, 24, (220, 224, 232))
            bx += 100
        }
        // Text-like rows: random short vertical and horizontal strokes.
        var ty = 80
        while ty + 12 < height {
            var tx = width / 6 + 16
            let lineEnd = min(width - 8, tx + Int.random(in: width / 3...(width * 5 / 6), using: &rng))
            while tx < lineEnd {
                let glyph = Int.random(in: 4...8, using: &rng)
                for _ in 0..<3 {
                    let gx = tx + Int.random(in: 0..<glyph, using: &rng), gy = ty + Int.random(in: 0..<8, using: &rng)
                    if Bool.random(using: &rng) { fill(gx, ty, 1, 9, (20, 20, 24)) } else { fill(tx, gy, glyph, 1, (20, 20, 24)) }
                }
                tx += glyph + (Int.random(in: 0..<6, using: &rng) == 0 ? 6 : 1)
            }
            ty += 18
        }
        // Icons: small gradients along the sidebar.
        var iy = 40
        while iy + 24 < height {
            let hue = UInt8.random(in: 0...255, using: &rng)
            for y in 0..<24 { for x in 0..<24 where x + 8 < width && iy + y < height {
                set(&frame, x + 8, iy + y, (hue &+ UInt8(x * 5), UInt8(200 - y * 4), UInt8(60 + x * 3 + y * 2)))
            } }
            iy += 40
        }
        return frame
    }

    /// Copies `patch` (same format) into `frame` at (x, y).
    static func paste(_ patch: Frame, into frame: inout Frame, at x: Int, _ y: Int) {
        for py in 0..<patch.height {
            for px in 0..<patch.width {
                let c = patch.rgb(x: px, y: py)
                set(&frame, x + px, y + py, (c.r, c.g, c.b))
            }
        }
    }
}
