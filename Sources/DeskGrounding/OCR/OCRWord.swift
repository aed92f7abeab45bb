import DeskCore

/// A recognised word: its text, where it is (root-window pixels) and how sure OCR was.
public struct OCRWord: Sendable, Hashable, Codable {
    public var text: String
    public var box: Rect
    /// Tesseract's confidence, 0–1.
    public var confidence: Double

    public init(text: String, box: Rect, confidence: Double) {
        self.text = text
        self.box = box
        self.confidence = confidence
    }
}
