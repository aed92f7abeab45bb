import DeskCore

extension Frame {
    /// A frame of `size` filled with black RGB, for degenerate inputs of non-throwing operations (sides are
    /// clamped to 0...Frame.maxDimension).
    static func blackRGB(_ size: Size, like frame: Frame) -> Frame {
        let w = min(max(0, size.width), Frame.maxDimension), h = min(max(0, size.height), Frame.maxDimension)
        return Frame(checkedWidth: w, height: h, stride: w * 3, format: .rgb, origin: frame.origin,
                     captureTime: frame.captureTime, pixels: [UInt8](repeating: 0, count: w * h * 3))
    }
}
