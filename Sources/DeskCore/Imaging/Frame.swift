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

/// Why a ``Frame`` cannot be built from the given layout and bytes.
public struct FrameLayoutError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A captured image: pixels plus where on the root window they came from and when.
///
/// Its layout is checked once, when it is built: width, height, stride and byte count always agree, so
/// everything that reads a frame can index it without re-checking. The bytes can be changed in place but
/// never resized.
public struct Frame: Sendable {
    /// The largest width or height a frame may have (X11 screens stop at 32767).
    public static let maxDimension = 1 << 15

    public let width: Int
    public let height: Int
    /// Bytes from one row to the next (at least `width * format.bytesPerPixel`).
    public let stride: Int
    public let format: PixelFormat
    /// Where the frame's top-left pixel is on the root window (a monitor's or region's offset).
    public var origin: Point
    /// Monotonic capture time in nanoseconds (for ordering and ages in a history).
    public var captureTime: UInt64
    public private(set) var pixels: [UInt8]

    /// Builds a frame, checking that `pixels` holds `height` rows of `stride` bytes (the last row at least
    /// `width * bpp`). A frame with a zero side is empty and may hold no bytes.
    public init(width: Int, height: Int, stride: Int, format: PixelFormat, origin: Point = Point(x: 0, y: 0),
                captureTime: UInt64 = 0, pixels: [UInt8]) throws(FrameLayoutError) {
        if let problem = Frame.layoutProblem(width: width, height: height, stride: stride, format: format,
                                             byteCount: pixels.count) {
            throw FrameLayoutError(problem)
        }
        self.init(checkedWidth: width, height: height, stride: stride, format: format, origin: origin,
                  captureTime: captureTime, pixels: pixels)
    }

    /// For layouts this module computes itself (copies, crops, conversions), which are sound by construction.
    package init(checkedWidth width: Int, height: Int, stride: Int, format: PixelFormat, origin: Point,
         captureTime: UInt64, pixels: [UInt8]) {
        self.width = width
        self.height = height
        self.stride = stride
        self.format = format
        self.origin = origin
        self.captureTime = captureTime
        self.pixels = pixels
    }

    /// An empty (0x0) frame of `format`.
    public static func empty(_ format: PixelFormat = .rgb, origin: Point = Point(x: 0, y: 0)) -> Frame {
        Frame(checkedWidth: 0, height: 0, stride: 0, format: format, origin: origin, captureTime: 0, pixels: [])
    }

    /// A packed frame of `size` (negative sides count as 0) filled with `byte`.
    public static func filled(_ size: Size, format: PixelFormat, byte: UInt8 = 0, origin: Point = Point(x: 0, y: 0),
                              captureTime: UInt64 = 0) throws(FrameLayoutError) -> Frame {
        let w = max(0, size.width), h = max(0, size.height)
        guard w <= maxDimension, h <= maxDimension else {
            throw FrameLayoutError("frame \(w)x\(h) is larger than \(maxDimension) pixels a side")
        }
        let rowBytes = w * format.bytesPerPixel
        return Frame(checkedWidth: w, height: h, stride: rowBytes, format: format, origin: origin,
                     captureTime: captureTime, pixels: [UInt8](repeating: byte, count: rowBytes * h))
    }

    /// Why `width`x`height` rows of `stride` bytes cannot be read from `byteCount` bytes, or `nil`.
    public static func layoutProblem(width: Int, height: Int, stride: Int, format: PixelFormat,
                                     byteCount: Int) -> String? {
        guard width >= 0, height >= 0 else { return "frame size \(width)x\(height) is negative" }
        guard width <= maxDimension, height <= maxDimension else {
            return "frame \(width)x\(height) is larger than \(maxDimension) pixels a side"
        }
        guard width > 0, height > 0 else { return nil }
        let rowBytes = width * format.bytesPerPixel
        guard stride >= rowBytes else {
            return "frame stride \(stride) is smaller than width \(width) x \(format.bytesPerPixel) bytes"
        }
        let (body, o1) = stride.multipliedReportingOverflow(by: height - 1)
        let (needed, o2) = body.addingReportingOverflow(rowBytes)
        guard !o1, !o2 else { return "frame \(width)x\(height) with stride \(stride) is too large" }
        guard byteCount >= needed else {
            return "frame \(width)x\(height) \(format.rawValue) with stride \(stride) needs \(needed) bytes, has \(byteCount)"
        }
        return nil
    }

    /// Whether the frame has no pixels (a zero side).
    public var isEmpty: Bool { width == 0 || height == 0 }

    /// One byte of `pixels`, changeable in place (their number never changes).
    public subscript(byte index: Int) -> UInt8 {
        get { pixels[index] }
        set { pixels[index] = newValue }
    }

    /// Changes the bytes in place; their number cannot change, so the layout stays sound.
    public mutating func withMutablePixels<R>(_ body: (UnsafeMutableBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try pixels.withUnsafeMutableBufferPointer { try body($0) }
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
        return Frame(checkedWidth: width, height: height, stride: width * 3, format: .rgb, origin: origin,
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
        return Frame(checkedWidth: r.width, height: r.height, stride: rowBytes, format: format,
                     origin: origin + r.origin, captureTime: captureTime, pixels: out)
    }
}
