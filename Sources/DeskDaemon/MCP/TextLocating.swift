import DeskCore

/// Finds text on a display (local OCR grounding), for the MCP `locate` tool. The executable provides it
/// when the grounding module is available; it should load its models on first use.
public protocol TextLocating: Sendable {
    func locate(_ text: String, on display: any DaemonDisplay) throws -> [LocatedText]
}

/// One place where the text was found.
public struct LocatedText: Sendable, Hashable, Codable {
    public var text: String
    /// The box in root-window pixels.
    public var box: Rect
    /// Where to click.
    public var point: Point
    public var score: Double

    public init(text: String, box: Rect, point: Point, score: Double) {
        self.text = text
        self.box = box
        self.point = point
        self.score = score
    }
}
