import DeskCore
import DeskImaging

/// ``FrameCodec`` over DeskImaging: libpng, area-average resizing, annotation, tile diffs, NCC matching.
public final class ImagingCodec: FrameCodec {
    /// Tile side for change detection (64 px: 0.84 ms per 1080p frame).
    public let tile: Int

    public init(tile: Int = 64) { self.tile = tile }

    public func encodePNG(_ frame: Frame) throws -> [UInt8] { try PNGCodec.encode(frame) }

    public func decodePNG(_ bytes: [UInt8], path: String) throws -> Frame {
        do { return try PNGCodec.decode(bytes) } catch {
            throw InputError("\(path): not a readable PNG image: \(error)")
        }
    }

    public func resize(_ frame: Frame, to size: Size) -> Frame { Resampler.resize(frame, to: size) }

    public func annotate(_ frame: Frame, action: ScreenAction) -> Frame {
        let o = frame.origin
        func local(_ p: Point) -> Point { p - o }
        let marks: [Annotator.Mark]
        switch action {
        case .click(let p?, _, let count): marks = [.click(local(p), count: count)]
        case .mouseDown(let p?, _), .mouseUp(let p?, _): marks = [.click(local(p), count: 1)]
        case .move(let p): marks = [.move(local(p))]
        case .drag(let a, let b, _): marks = [.drag(from: local(a), to: local(b))]
        case .scroll(let p?, let d, _): marks = [.scroll(at: local(p), direction: d)]
        default: marks = []
        }
        return marks.isEmpty ? frame : Annotator.annotate(frame, marks: marks)
    }

    public func changedTiles(_ a: Frame, _ b: Frame) -> [Rect] { TileDiff.changedTiles(a, b, tile: tile) }

    public func locate(_ template: Frame, in screen: Frame, threshold: Double) -> ImageMatch? {
        TemplateMatcher(template: template).bestMatch(in: screen, threshold: threshold)
            .map { ImageMatch(rect: $0.rect, score: $0.score) }
    }
}
