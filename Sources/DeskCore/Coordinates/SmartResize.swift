import Foundation

/// The image-size rule of Qwen2-VL/Qwen2.5-VL-based models (UI-TARS, Seed, Qwen): both sides become
/// multiples of `factor` and the area lands inside `minPixels...maxPixels`.
///
/// This is a port of the Python `smart_resize` the model families share. Python's `round` is banker's
/// rounding, so this port uses `.toNearestOrEven`; `Math.round`-style rounding moves a 1022-px side to
/// 1036 instead of 1008 and shifts every click (UI-TARS-desktop #1730).
public struct SmartResize: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Both output sides are multiples of this (28 = 14-px patches merged 2×2).
    public var factor: Int
    public var minPixels: Int
    public var maxPixels: Int
    /// Images more elongated than this are refused, as the reference does.
    public var maxAspectRatio: Double

    public init(factor: Int = 28, minPixels: Int, maxPixels: Int, maxAspectRatio: Double = 200) {
        self.factor = factor
        self.minPixels = minPixels
        self.maxPixels = maxPixels
        self.maxAspectRatio = maxAspectRatio
    }

    /// UI-TARS-1.5 / Qwen2.5-VL processor defaults: 100·28² … 16384·28².
    public static let uiTars15 = SmartResize(minPixels: 100 * 28 * 28, maxPixels: 16384 * 28 * 28)
    /// UI-TARS-1.0 as UI-TARS-desktop and OSWorld's 1.0 agent run it: 3136 … 2700·28².
    public static let uiTars10 = SmartResize(minPixels: 3136, maxPixels: 2700 * 28 * 28)
    /// Doubao / Seed1.5-VL GUI budget: 100·28² … 5120·28².
    public static let doubao = SmartResize(minPixels: 100 * 28 * 28, maxPixels: 5120 * 28 * 28)
    /// Qwen2.5-VL's processor defaults: 56² … 16384·28².
    public static let qwen25VL = SmartResize(minPixels: 3136, maxPixels: 16384 * 28 * 28)

    public var description: String { "smartResize(factor \(factor), \(minPixels)…\(maxPixels) px)" }

    /// The size a model sees for an image of `size`; throws when a side is not positive or the image is
    /// more elongated than `maxAspectRatio`.
    public func resize(_ size: Size) throws(SmartResizeError) -> Size {
        let w = size.width, h = size.height
        guard w > 0, h > 0, factor > 0 else { throw SmartResizeError(size: size, reason: "both sides must be positive") }
        let ratio = Double(max(w, h)) / Double(min(w, h))
        guard ratio <= maxAspectRatio else {
            throw SmartResizeError(size: size, reason: "aspect ratio \(ratio.formatted) exceeds \(maxAspectRatio.formatted)")
        }
        let f = Double(factor)
        let hd = Double(h), wd = Double(w)
        var hBar = max(factor, Int((hd / f).rounded(.toNearestOrEven)) * factor)
        var wBar = max(factor, Int((wd / f).rounded(.toNearestOrEven)) * factor)
        if hBar * wBar > maxPixels {
            let beta = (hd * wd / Double(maxPixels)).squareRoot()
            // The reference has no lower bound here; `max` only matters for degenerate budgets and keeps
            // the result a valid image.
            hBar = max(factor, Int((hd / beta / f).rounded(.down)) * factor)
            wBar = max(factor, Int((wd / beta / f).rounded(.down)) * factor)
        } else if hBar * wBar < minPixels {
            let beta = (Double(minPixels) / (hd * wd)).squareRoot()
            hBar = Int((hd * beta / f).rounded(.up)) * factor
            wBar = Int((wd * beta / f).rounded(.up)) * factor
        }
        return Size(width: wBar, height: hBar)
    }

    /// The size to send an image of native `size` at: unchanged when its area is within the budget,
    /// otherwise scaled (aspect kept) to fit, as UI-TARS-desktop's and OSWorld's pre-send resize does
    /// (`int()` truncation when shrinking, ceiling when growing).
    public func sendSize(for size: Size) -> Size {
        let area = Double(size.width) * Double(size.height)
        guard size.width > 0, size.height > 0 else { return size }
        if area > Double(maxPixels) {
            let f = (Double(maxPixels) / area).squareRoot()
            return Size(width: max(1, Int(Double(size.width) * f)), height: max(1, Int(Double(size.height) * f)))
        }
        if area < Double(minPixels) {
            let f = (Double(minPixels) / area).squareRoot()
            return Size(width: Int((Double(size.width) * f).rounded(.up)), height: Int((Double(size.height) * f).rounded(.up)))
        }
        return size
    }
}

/// An image size `smartResize` refuses (non-positive side, or too elongated).
public struct SmartResizeError: DeskError, Hashable {
    public var size: Size
    public var reason: String
    public init(size: Size, reason: String) {
        self.size = size
        self.reason = reason
    }
    public var description: String { "cannot smart-resize a \(size) image: \(reason)" }
    public var exitStatus: ExitStatus { .usage }
}
