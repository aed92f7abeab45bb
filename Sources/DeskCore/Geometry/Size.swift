/// A width and height in pixels.
public struct Size: Sendable, Hashable, Codable, CustomStringConvertible {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    public var area: Int { width * height }
    public var description: String { "\(width)x\(height)" }

    /// Parses `WxH` (as in `--screen 1920x1080`); an optional `xDEPTH` suffix is accepted and ignored.
    public init?(parsing text: String) {
        let parts = text.lowercased().split(separator: "x", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3,
              let w = Int(parts[0]), let h = Int(parts[1]), w > 0, h > 0, w <= 32767, h <= 32767
        else { return nil }
        if parts.count == 3 { guard let d = Int(parts[2]), [8, 16, 24, 32].contains(d) else { return nil } }
        self.init(width: w, height: h)
    }
}
