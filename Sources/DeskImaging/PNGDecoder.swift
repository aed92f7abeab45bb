internal import CPNG
import DeskCore

/// Decodes PNG bytes with libpng's simplified API, which catches libpng's internal `longjmp`s itself and
/// reports failure as a return value plus `image.message`, so corrupt input becomes an error, not an abort.
enum PNGDecoder {
    /// Larger images are refused before allocating: 2^27 pixels is 4x an 8K screen, and a few bytes of
    /// hostile PNG can claim any size.
    static let maxPixels = 1 << 27

    static func decode(_ data: [UInt8]) throws -> Frame {
        guard data.count >= 8 else { throw ImagingError("invalid PNG: only \(data.count) bytes") }
        // libpng reads from the caller's memory lazily, so both calls must stay inside one pointer scope.
        return try data.withUnsafeBytes { bytes -> Frame in
            var image = png_image()
            image.version = png_uint_32(PNG_IMAGE_VERSION)
            guard png_image_begin_read_from_memory(&image, bytes.baseAddress, bytes.count) != 0 else {
                throw ImagingError("invalid PNG: \(message(of: image))")
            }
            // Safe after success too: finish_read leaves nothing to free.
            defer { png_image_free(&image) }
            let hasAlpha = image.format & png_uint_32(CPNG_FORMAT_FLAG_ALPHA) != 0
            image.format = png_uint_32(hasAlpha ? CPNG_FORMAT_RGBA : CPNG_FORMAT_RGB)
            let width = Int(image.width), height = Int(image.height)
            let channels = hasAlpha ? 4 : 3
            guard width > 0, height > 0, width.multipliedReportingOverflow(by: height).partialValue <= maxPixels,
                  width <= maxPixels, height <= maxPixels
            else {
                throw ImagingError("PNG of \(width)x\(height) pixels is larger than the \(maxPixels)-pixel limit")
            }
            let rowBytes = width * channels
            var pixels = [UInt8](repeating: 0, count: rowBytes * height)
            let ok = pixels.withUnsafeMutableBytes { out in
                png_image_finish_read(&image, nil, out.baseAddress, png_int_32(rowBytes), nil)
            }
            guard ok != 0 else { throw ImagingError("invalid PNG: \(message(of: image))") }
            return try Frame(width: width, height: height, stride: rowBytes, format: hasAlpha ? .rgba : .rgb,
                         pixels: pixels)
        }
    }

    /// libpng's own complaint, a NUL-terminated `char[64]` inside the struct.
    private static func message(of image: png_image) -> String {
        let text = withUnsafeBytes(of: image.message) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        return text.isEmpty ? "libpng gave no reason" : text
    }
}
