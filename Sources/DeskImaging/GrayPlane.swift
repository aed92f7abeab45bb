import DeskCore

/// A single-channel float image (0–255), the working form for template matching.
struct GrayPlane: Sendable {
    var width: Int
    var height: Int
    var values: [Float]

    init(width: Int, height: Int, values: [Float]) {
        self.width = width
        self.height = height
        self.values = values
    }

    /// Luma (BT.601 weights) of any frame format; a malformed frame reads as black where bytes are missing.
    init(_ frame: Frame) {
        let f = frame
        width = f.width
        height = f.height
        var out = [Float](repeating: 0, count: f.width * f.height)
        let bpp = f.format.bytesPerPixel
        let w = f.width, stride = f.stride
        f.pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for y in 0..<f.height {
                    var s = y * stride
                    let d = y * w
                    for x in 0..<w {
                        let v: Float = switch f.format {
                        case .gray: Float(src[s])
                        case .bgrx: 0.299 * Float(src[s + 2]) + 0.587 * Float(src[s + 1]) + 0.114 * Float(src[s])
                        case .rgb, .rgba: 0.299 * Float(src[s]) + 0.587 * Float(src[s + 1]) + 0.114 * Float(src[s + 2])
                        }
                        dst[d + x] = v
                        s += bpp
                    }
                }
            }
        }
        values = out
    }

    /// The block mean over `factor` x `factor` cells; a partial last row or column of cells is dropped.
    func downsampled(by factor: Int) -> GrayPlane {
        guard factor > 1 else { return self }
        let w = width / factor, h = height / factor
        var out = [Float](repeating: 0, count: w * h)
        let scale = 1 / Float(factor * factor)
        values.withUnsafeBufferPointer { src in
            for y in 0..<h {
                for x in 0..<w {
                    var sum: Float = 0
                    for dy in 0..<factor {
                        let row = (y * factor + dy) * width + x * factor
                        for dx in 0..<factor { sum += src[row + dx] }
                    }
                    out[y * w + x] = sum * scale
                }
            }
        }
        return GrayPlane(width: w, height: h, values: out)
    }

    /// A copy of the `w` x `h` block at (`x`, `y`), which must lie inside the plane.
    func crop(x: Int, y: Int, width w: Int, height h: Int) -> GrayPlane {
        var out = [Float](repeating: 0, count: w * h)
        for row in 0..<h {
            let s = (y + row) * width + x
            for i in 0..<w { out[row * w + i] = values[s + i] }
        }
        return GrayPlane(width: w, height: h, values: out)
    }
}
