/// The pixel work the loop and the runner need: encoding, resizing, annotating, diffing, finding an image.
///
/// DeskCore and DeskAgent import no C, so the executable implements this over DeskImaging (libpng, BLAS)
/// and tests can use a cheap fake.
public protocol FrameCodec: Sendable {
    /// PNG bytes of `frame` (any pixel format; BGRX pad bytes are not alpha).
    func encodePNG(_ frame: Frame) throws -> [UInt8]
    /// Decodes a PNG file's bytes (an `image:` target); `path` is only for the error message.
    func decodePNG(_ bytes: [UInt8], path: String) throws -> Frame
    /// `frame` scaled to `size` (aspect not kept: the caller chose the size).
    func resize(_ frame: Frame, to size: Size) -> Frame
    /// A copy of `frame` with `action` drawn on it; points are root-window pixels.
    func annotate(_ frame: Frame, action: ScreenAction) -> Frame
    /// The tiles (frame-local) in which `a` and `b` differ; empty when the screen did not change.
    func changedTiles(_ a: Frame, _ b: Frame) -> [Rect]
    /// Where `template` appears in `screen` (frame-local rect), scoring at least `threshold`, best first.
    func locate(_ template: Frame, in screen: Frame, threshold: Double) -> ImageMatch?
}

/// Where an image was found and how well it matched (1 is identical).
public struct ImageMatch: Sendable, Hashable, Codable {
    public var rect: Rect
    public var score: Double

    public init(rect: Rect, score: Double) {
        self.rect = rect
        self.score = score
    }
}
