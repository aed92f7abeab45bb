import DeskCore

/// Checks and repairs of a ``Frame``'s layout, shared by every DeskImaging entry point: a `Frame` is a plain
/// value anyone can build, so its stride and byte count cannot be trusted before indexing into it.
extension Frame {
    /// Why this frame cannot be read safely, or `nil` when width, height, stride and byte count agree.
    package var layoutProblem: String? {
        guard width > 0, height > 0 else { return "empty frame (\(width)x\(height))" }
        let bpp = format.bytesPerPixel
        let (rowBytes, o1) = width.multipliedReportingOverflow(by: bpp)
        guard !o1 else { return "frame width \(width) is too large" }
        guard stride >= rowBytes else {
            return "frame stride \(stride) is smaller than width \(width) x \(bpp) bytes"
        }
        let (body, o2) = stride.multipliedReportingOverflow(by: height - 1)
        let (needed, o3) = body.addingReportingOverflow(rowBytes)
        guard !o2, !o3 else { return "frame \(width)x\(height) with stride \(stride) is too large" }
        guard pixels.count >= needed else {
            return "frame \(width)x\(height) \(format.rawValue) with stride \(stride) needs \(needed) bytes, has \(pixels.count)"
        }
        return nil
    }

    /// A frame that is always safe to index: the same frame when its layout is sound; otherwise a packed copy
    /// of the same (non-negative) size in which bytes the original lacks read as zero (black).
    /// Non-throwing entry points (resize, annotate, diff) use this so bad input degrades instead of trapping.
    package func sanitized() -> Frame {
        if layoutProblem == nil { return self }
        let w = max(0, width), h = max(0, height)
        let bpp = format.bytesPerPixel
        // Frames this large cannot be real captures; treat them as empty rather than allocate wildly.
        guard w > 0, h > 0, w <= 1 << 16, h <= 1 << 16 else {
            return Frame(width: 0, height: 0, stride: 0, format: format, origin: origin,
                         captureTime: captureTime, pixels: [])
        }
        let rowBytes = w * bpp
        var out = [UInt8](repeating: 0, count: rowBytes * h)
        let srcStride = stride > 0 ? stride : rowBytes
        for y in 0..<h {
            let (s, overflow) = y.multipliedReportingOverflow(by: srcStride)
            guard !overflow, s < pixels.count else { break }
            let n = min(rowBytes, pixels.count - s)
            for i in 0..<n { out[y * rowBytes + i] = pixels[s + i] }
        }
        return Frame(width: w, height: h, stride: rowBytes, format: format, origin: origin,
                     captureTime: captureTime, pixels: out)
    }

    /// A frame of `size` filled with black RGB, for degenerate inputs of non-throwing operations.
    static func blackRGB(_ size: Size, like frame: Frame) -> Frame {
        let w = max(0, size.width), h = max(0, size.height)
        return Frame(width: w, height: h, stride: w * 3, format: .rgb, origin: frame.origin,
                     captureTime: frame.captureTime, pixels: [UInt8](repeating: 0, count: w * h * 3))
    }
}
