#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DeskCore

/// PNG encoding and decoding of ``Frame``s.
///
/// Encoding writes filter 0 and zlib level 1 by default: for UI screenshots that is the fastest setting with
/// files about as small as libpng's defaults (about 13–16 ms per 1080p frame instead of 73–88 ms).
public enum PNGCodec {
    /// Encodes any frame format as an 8-bit PNG: `.rgb` and `.bgrx` as RGB (BGRX's pad byte is dropped, never
    /// read as alpha), `.rgba` as RGBA, `.gray` as grayscale. `level` is zlib's 0 (stored) ... 9 (smallest).
    /// Throws ``ImagingError`` for a level outside 0...9 or a frame whose stride and byte count disagree.
    public static func encode(_ frame: Frame, level: Int = 1) throws -> [UInt8] {
        try PNGEncoder.encode(frame, level: level)
    }

    /// Encodes BGRX rows of `stride` bytes lent by their owner (``ScreenCapturer/withCaptureView(_:_:)``'s shared
    /// segment) as an RGB PNG at `level`, without copying them into a ``Frame``: for a 1080p screenshot that copy
    /// and the 8 MB it touches cost more than a third of the encoding.
    public static func encodeBGRX(_ pixels: UnsafeRawBufferPointer, width: Int, height: Int, stride: Int,
                                  level: Int = 1) throws -> [UInt8] {
        try PNGEncoder.encodeBGRX(pixels, width: width, height: height, stride: stride, level: level)
    }

    /// Decodes a PNG (any color type or bit depth) to an `.rgb` frame, or `.rgba` when the PNG has alpha
    /// (an alpha channel or transparency chunk). Origin and capture time are zero. Throws ``ImagingError``
    /// with libpng's reason for corrupt or truncated data.
    public static func decode(_ data: [UInt8]) throws -> Frame {
        try PNGDecoder.decode(data)
    }

    /// Encodes `frame` (level 1) and writes it to `path`, replacing any file there. Errors name the path.
    public static func write(_ frame: Frame, to path: String) throws {
        let png: [UInt8]
        do {
            png = try encode(frame)
        } catch let error as ImagingError {
            throw ImagingError("cannot write PNG to '\(path)': \(error.message)", exitStatus: error.exitStatus)
        }
        try writeFile(png, to: path)
    }

    private static func writeFile(_ bytes: [UInt8], to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ImagingError("cannot write PNG to '\(path)': \(errnoText())") }
        var written = 0
        let failure: String? = bytes.withUnsafeBytes { raw -> String? in
            guard let base = raw.baseAddress else { return nil }
            while written < raw.count {
                let n = posixWrite(fd, base + written, raw.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    return errnoText()
                }
                written += n
            }
            return nil
        }
        let closed = close(fd)
        if let failure { throw ImagingError("cannot write PNG to '\(path)': \(failure)") }
        // A full disk or quota can surface only at close.
        guard closed == 0 else { throw ImagingError("cannot write PNG to '\(path)': \(errnoText())") }
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}

/// `write(2)`, named apart from ``PNGCodec/write(_:to:)`` which would shadow it inside the type.
private func posixWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(fd, buffer, count)
    #else
    Darwin.write(fd, buffer, count)
    #endif
}
