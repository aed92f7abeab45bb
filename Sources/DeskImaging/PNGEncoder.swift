internal import CPNG
import DeskCore

/// Writes the PNG container by hand (signature, IHDR, one IDAT, IEND) around zlib's `compress2`.
///
/// Why not libpng: its simplified API cannot set the zlib level or the row filter, and the classic API that
/// can reports errors with `longjmp`, which Swift cannot catch. For UI frames, level 1 with filter 0 on
/// every row is 5–6x faster than libpng's defaults at about the same size (x11-layer.md §6), and zlib
/// reports errors by return code.
enum PNGEncoder {
    private static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    /// Bytes before the compressed stream: signature, IHDR chunk (4+4+13+4), IDAT length and type.
    private static let headerBytes = 8 + 25 + 8
    /// IDAT CRC plus the whole IEND chunk.
    private static let trailerBytes = 4 + 12

    static func encode(_ frame: Frame, level: Int) throws -> [UInt8] {
        guard (0...9).contains(level) else {
            throw ImagingError("PNG compression level \(level) is outside 0...9")
        }
        if frame.isEmpty { throw ImagingError("cannot encode PNG: empty frame (\(frame.width)x\(frame.height))") }
        guard frame.width <= Int(Int32.max), frame.height <= Int(Int32.max) else {
            throw ImagingError("cannot encode PNG: \(frame.width)x\(frame.height) exceeds PNG's size limit")
        }
        let (channels, colorType): (Int, UInt8) = switch frame.format {
        case .rgb, .bgrx: (3, 2)  // BGRX's pad byte is dropped: it is undefined, not alpha
        case .rgba: (4, 6)
        case .gray: (1, 0)
        }
        let (rowBytes, o1) = frame.width.multipliedReportingOverflow(by: channels)
        let (rawSize, o2) = (rowBytes + 1).multipliedReportingOverflow(by: frame.height)
        guard !o1, !o2, rawSize <= Int(UInt32.max) else {
            throw ImagingError("cannot encode PNG: \(frame.width)x\(frame.height) is too large")
        }
        _ = rawSize
        return try frame.pixels.withUnsafeBufferPointer { pixels in
            guard let source = pixels.baseAddress else { throw ImagingError("cannot encode PNG: empty frame") }
            return try encode(source, width: frame.width, height: frame.height, stride: frame.stride,
                              bgrx: frame.format == .bgrx, rowBytes: rowBytes, colorType: colorType, level: level)
        }
    }

    /// Encodes BGRX rows of `stride` bytes that someone else owns (a capture's shared segment) as an RGB PNG,
    /// without copying them into a ``Frame`` first.
    static func encodeBGRX(_ pixels: UnsafeRawBufferPointer, width: Int, height: Int, stride: Int,
                           level: Int) throws -> [UInt8] {
        guard (0...9).contains(level) else {
            throw ImagingError("PNG compression level \(level) is outside 0...9")
        }
        guard width > 0, height > 0, width <= Int(Int32.max) / 4, height <= Int(Int32.max), stride >= width * 4,
              let source = pixels.baseAddress, pixels.count >= stride * (height - 1) + width * 4 else {
            throw ImagingError("cannot encode PNG: \(width)x\(height) BGRX rows of \(stride) bytes do not fit \(pixels.count) bytes")
        }
        return try encode(source.assumingMemoryBound(to: UInt8.self), width: width, height: height, stride: stride,
                          bgrx: true, rowBytes: width * 3, colorType: 2, level: level)
    }

    private static func encode(_ source: UnsafePointer<UInt8>, width: Int, height: Int, stride: Int, bgrx: Bool,
                               rowBytes: Int, colorType: UInt8, level: Int) throws -> [UInt8] {
        // Bands of scanlines are converted and deflated on several cores; one standard zlib stream results.
        nonisolated(unsafe) let source = source
        let zdata = ParallelDeflate.compress(units: height, unitBytes: rowBytes + 1, level: Int32(level)) { rows, out in
            Self.fillScanlines(rows, into: out, from: source, stride: stride, width: width, rowBytes: rowBytes, bgrx: bgrx)
        }
        guard let zdata else {
            throw ImagingError("cannot encode PNG: zlib deflate failed", exitStatus: .environment)
        }
        var png = [UInt8]()
        png.reserveCapacity(headerBytes + zdata.count + trailerBytes)
        func put32(_ v: UInt32) { png += [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }
        func chunk(_ type: String, _ body: [UInt8]) {
            put32(UInt32(body.count))
            let start = png.count
            png += Array(type.utf8)
            png += body
            let crc = png[start...].withUnsafeBufferPointer { crc32(0, $0.baseAddress, uInt($0.count)) }
            put32(UInt32(truncatingIfNeeded: crc))
        }
        png += signature
        var ihdr: [UInt8] = []
        for v in [UInt32(width), UInt32(height)] {
            ihdr += [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]
        }
        ihdr += [8, colorType, 0, 0, 0]  // bit depth 8, deflate, filter method 0, no interlace
        chunk("IHDR", ihdr)
        chunk("IDAT", zdata)
        chunk("IEND", [])
        return png
    }

    /// Writes PNG scanlines for `rows`: each is filter byte 0 (none) then the row's samples, BGRX turned to RGB.
    private static func fillScanlines(_ rows: Range<Int>, into out: UnsafeMutablePointer<UInt8>,
                                      from source: UnsafePointer<UInt8>, stride: Int, width: Int, rowBytes: Int,
                                      bgrx: Bool) {
        for (k, y) in rows.enumerated() {
            let d = out + k * (rowBytes + 1)
            d[0] = 0
            let s = source + y * stride
            if bgrx {
                var si = 0, di = 1
                for _ in 0..<width {
                    d[di] = s[si + 2]; d[di + 1] = s[si + 1]; d[di + 2] = s[si]
                    si += 4; di += 3
                }
            } else {
                (d + 1).update(from: s, count: rowBytes)
            }
        }
    }
}
