/// How a model writes the points it answers with.
///
/// Mixing these up is the most common GUI-agent bug (UI-TARS #119, #157, #173, #195), so every
/// dialect names its convention and every mapping records it.
public enum CoordinateConvention: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Both axes run 0…`scale` over the image (UI-TARS-1.0, Seed/Doubao `<point>`: scale 1000).
    case relative(scale: Double)
    /// Pixels on the smart-resized version of the image that was sent (UI-TARS-1.5, Qwen2.5-VL).
    case absoluteOnResized(SmartResize)
    /// Pixels on the image exactly as sent (a declared-size tool, a local grounder).
    case absoluteOnSent

    /// The 0–1000 relative convention.
    public static let relative1000 = CoordinateConvention.relative(scale: 1000)

    /// The size of the model's coordinate space for an image sent at `sentImage`.
    public func modelSpace(forSent sentImage: Size) throws(SmartResizeError) -> (width: Double, height: Double) {
        switch self {
        case .relative(let scale): return (scale, scale)
        case .absoluteOnResized(let resize):
            let s = try resize.resize(sentImage)
            return (Double(s.width), Double(s.height))
        case .absoluteOnSent: return (Double(sentImage.width), Double(sentImage.height))
        }
    }

    public var description: String {
        switch self {
        case .relative(let scale): "relative 0–\(scale.formatted)"
        case .absoluteOnResized(let r): "absolute on the smart-resized image (max \(r.maxPixels) px)"
        case .absoluteOnSent: "absolute on the sent image"
        }
    }
}
