import DeskCore

extension Frame {
    /// A frame of `size` filled with black RGB, for degenerate inputs of non-throwing operations (sides are
    /// clamped to 0...Frame.maxDimension).
    static func blackRGB(_ size: Size, like frame: Frame) -> Frame {
        let side = { (n: Int) in min(max(0, n), Frame.maxDimension) }
        let clamped = Size(width: side(size.width), height: side(size.height))
        return (try? Frame.filled(clamped, format: .rgb, origin: frame.origin, captureTime: frame.captureTime))
            ?? Frame.empty(origin: frame.origin)
    }
}
