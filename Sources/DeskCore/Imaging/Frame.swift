/// How the bytes of a ``Frame`` are laid out.
public enum PixelFormat: String, Sendable, Hashable, Codable {
    /// X11's 24/32-bit ZPixmap in memory: blue, green, red, then a pad byte that is not alpha.
    case bgrx
    /// Three bytes per pixel, red first.
    case rgb
    /// Four bytes per pixel, red first, straight alpha.
    case rgba
    /// One byte per pixel.
    case gray

    public var bytesPerPixel: Int {
        switch self {
        case .bgrx, .rgba: 4
        case .rgb: 3
        case .gray: 1
        }
    }
}

/// A captured image: pixels plus where on the root window they came from and when.
public struct Frame: Sendable {
    public var width: Int
    public var height: Int
    /// Bytes from one row to the next (at least `width * format.bytesPerPixel`).
    public var stride: Int
    public var format: PixelFormat
    /// Where the frame's top-left pixel is on the root window (a monitor's or region's offset).
    public var origin: Point
    /// Monotonic capture time in nanoseconds (for ordering and ages in a history).
    public var captureTime: UInt64
    public var pixels: [UInt8]

    public init(width: Int, height: Int, stride: Int, format: PixelFormat, origin: Point = Point(x: 0, y: 0),
                captureTime: UInt64 = 0, pixels: [UInt8]) {
        self.width = width
        self.height = height
        self.stride = stride
        self.format = format
        self.origin = origin
        self.captureTime = captureTime
        self.pixels = pixels
    }

    public var size: Size { Size(width: width, height: height) }
    /// The frame's area in root-window pixels.
    public var rect: Rect { Rect(origin: origin, size: size) }

    /// The pixel at (x, y) as (r, g, b), whatever the layout.
    public func rgb(x: Int, y: Int) -> (r: UInt8, g: UInt8, b: UInt8) {
        let i = y * stride + x * format.bytesPerPixel
        switch format {
        case .bgrx: return (pixels[i + 2], pixels[i + 1], pixels[i])
        case .rgb, .rgba: return (pixels[i], pixels[i + 1], pixels[i + 2])
        case .gray: return (pixels[i], pixels[i], pixels[i])
        }
    }

    /// A tightly packed RGB copy (the pad byte of BGRX is dropped, never read as alpha).
    public func toRGB() -> Frame {
        if format == .rgb && stride == width * 3 { return self }
        var out = [UInt8](repeating: 0, count: width * height * 3)
        let bpp = format.bytesPerPixel
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for y in 0..<height {
                    var s = y * stride
                    var d = y * width * 3
                    switch format {
                    case .bgrx:
                        for _ in 0..<width {
                            dst[d] = src[s + 2]; dst[d + 1] = src[s + 1]; dst[d + 2] = src[s]
                            s += 4; d += 3
                        }
                    case .rgb, .rgba:
                        for _ in 0..<width {
                            dst[d] = src[s]; dst[d + 1] = src[s + 1]; dst[d + 2] = src[s + 2]
                            s += bpp; d += 3
                        }
                    case .gray:
                        for _ in 0..<width {
                            dst[d] = src[s]; dst[d + 1] = src[s]; dst[d + 2] = src[s]
                            s += 1; d += 3
                        }
                    }
                }
            }
        }
        return Frame(width: width, height: height, stride: width * 3, format: .rgb, origin: origin,
                     captureTime: captureTime, pixels: out)
    }

    /// A copy of the sub-rectangle `r` given in frame-local pixels; `nil` when it is not inside.
    public func cropped(to r: Rect) -> Frame? {
        guard r.x >= 0, r.y >= 0, r.width > 0, r.height > 0, r.maxX <= width, r.maxY <= height else { return nil }
        let bpp = format.bytesPerPixel
        var out = [UInt8](repeating: 0, count: r.width * r.height * bpp)
        let rowBytes = r.width * bpp
        pixels.withUnsafeBytes { src in
            out.withUnsafeMutableBytes { dst in
                for row in 0..<r.height {
                    let s = (r.y + row) * stride + r.x * bpp
                    dst.baseAddress!.advanced(by: row * rowBytes)
                        .copyMemory(from: src.baseAddress!.advanced(by: s), byteCount: rowBytes)
                }
            }
        }
        return Frame(width: r.width, height: r.height, stride: rowBytes, format: format,
                     origin: origin + r.origin, captureTime: captureTime, pixels: out)
    }
}
