import DeskCore

/// An 8-bit single-channel image, row-major and tightly packed: the form OCR works on.
struct GrayImage: Sendable, Hashable {
    var width: Int
    var height: Int
    var pixels: [UInt8]

    init(width: Int, height: Int, pixels: [UInt8]) {
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    init(width: Int, height: Int, fill: UInt8) {
        self.init(width: width, height: height, pixels: [UInt8](repeating: fill, count: max(0, width * height)))
    }

    /// Luma (BT.601, integer weights) of a frame. A frame whose stride or byte count does not fit its size
    /// reads as black where bytes are missing, so a malformed frame cannot trap.
    init(_ frame: Frame) {
        let w = max(0, frame.width), h = max(0, frame.height)
        var out = [UInt8](repeating: 0, count: w * h)
        let bpp = frame.format.bytesPerPixel
        let stride = frame.stride
        let format = frame.format
        frame.pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for y in 0..<h {
                    let rowStart = y * stride
                    // Rows beyond the buffer stay black.
                    guard stride >= w * bpp, rowStart + w * bpp <= src.count else { continue }
                    var s = rowStart
                    var d = y * w
                    switch format {
                    case .bgrx:
                        for _ in 0..<w {
                            let v = (77 * Int(src[s + 2]) + 150 * Int(src[s + 1]) + 29 * Int(src[s]) + 128) >> 8
                            dst[d] = UInt8(truncatingIfNeeded: v)
                            s += 4; d += 1
                        }
                    case .rgb, .rgba:
                        for _ in 0..<w {
                            let v = (77 * Int(src[s]) + 150 * Int(src[s + 1]) + 29 * Int(src[s + 2]) + 128) >> 8
                            dst[d] = UInt8(truncatingIfNeeded: v)
                            s += bpp; d += 1
                        }
                    case .gray:
                        for _ in 0..<w { dst[d] = src[s]; s += 1; d += 1 }
                    }
                }
            }
        }
        self.init(width: w, height: h, pixels: out)
    }

    /// A copy of `r` (clipped to the image).
    func cropped(to r: Rect) -> GrayImage {
        guard let c = Rect(x: 0, y: 0, width: width, height: height).intersection(r) else {
            return GrayImage(width: 0, height: 0, pixels: [])
        }
        var out = [UInt8](repeating: 0, count: c.width * c.height)
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for row in 0..<c.height {
                    let s = (c.y + row) * width + c.x
                    for i in 0..<c.width { dst[row * c.width + i] = src[s + i] }
                }
            }
        }
        return GrayImage(width: c.width, height: c.height, pixels: out)
    }

    /// Bilinear resize to `w` x `h` (pixel centres aligned), for enlarging small text.
    func resized(width w: Int, height h: Int) -> GrayImage {
        guard w > 0, h > 0, width > 0, height > 0 else { return GrayImage(width: max(0, w), height: max(0, h), fill: 255) }
        if w == width && h == height { return self }
        let sx = Double(width) / Double(w), sy = Double(height) / Double(h)
        // Per output column: left source index and weight, computed once.
        var x0 = [Int](repeating: 0, count: w), fx = [Int](repeating: 0, count: w)
        for x in 0..<w {
            let pos = min(Double(width - 1), max(0, (Double(x) + 0.5) * sx - 0.5))
            let i = min(max(0, width - 2), Int(pos))
            x0[x] = i
            fx[x] = Int(((pos - Double(i)) * 256).rounded())
        }
        var out = [UInt8](repeating: 0, count: w * h)
        let single = width == 1
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for y in 0..<h {
                    let pos = min(Double(height - 1), max(0, (Double(y) + 0.5) * sy - 0.5))
                    let j = min(max(0, height - 2), Int(pos))
                    let fy = Int(((pos - Double(j)) * 256).rounded())
                    let r0 = j * width, r1 = height > 1 ? (j + 1) * width : r0
                    for x in 0..<w {
                        let i = x0[x], f = fx[x]
                        let i1 = single ? i : i + 1
                        let top = Int(src[r0 + i]) * (256 - f) + Int(src[r0 + i1]) * f
                        let bottom = Int(src[r1 + i]) * (256 - f) + Int(src[r1 + i1]) * f
                        dst[y * w + x] = UInt8(truncatingIfNeeded: (top * (256 - fy) + bottom * fy + 32768) >> 16)
                    }
                }
            }
        }
        return GrayImage(width: w, height: h, pixels: out)
    }

    /// The image centred on a `margin`-pixel border of `fill` (Tesseract finds text touching an edge poorly).
    func padded(by margin: Int, fill: UInt8) -> GrayImage {
        let w = width + 2 * margin, h = height + 2 * margin
        var out = [UInt8](repeating: fill, count: w * h)
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for y in 0..<height {
                    let d = (y + margin) * w + margin
                    for x in 0..<width { dst[d + x] = src[y * width + x] }
                }
            }
        }
        return GrayImage(width: w, height: h, pixels: out)
    }

    /// A 64-bit FNV-1a digest of size and pixels: the cache key of a prepared region. Stable across runs
    /// (unlike `Hasher`), so a cache could outlive a process.
    var digest: UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        @inline(__always) func mix(_ v: UInt64) {
            h ^= v
            h = h &* 0x0000_0100_0000_01B3
        }
        mix(UInt64(width)); mix(UInt64(height))
        pixels.withUnsafeBytes { raw in
            // Eight bytes at a time: the words, not single bytes, go through the multiply.
            let count = raw.count / 8
            for i in 0..<count { mix(raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)) }
            for i in (count * 8)..<raw.count { mix(UInt64(raw[i])) }
        }
        return h
    }
}
