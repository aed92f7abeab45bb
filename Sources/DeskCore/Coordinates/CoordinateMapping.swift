import Foundation

/// Turns model points into root-window pixels for one observation.
///
/// Built from what was actually captured and sent, so a wrong click can be explained from the trace:
/// `screen` is the captured area on the root window (a monitor's origin and size), `sentImage` the pixel
/// size of the image the model got, `convention` how the model writes points.
public struct CoordinateMapping: Sendable, Hashable, Codable, CustomStringConvertible {
    public var convention: CoordinateConvention
    /// The captured area in root-window pixels (origin included, so a second monitor maps right).
    public var screen: Rect
    public var sentImage: Size
    /// Width and height of the model's coordinate space (1000×1000, or the smart-resized size).
    public var modelWidth: Double
    public var modelHeight: Double

    /// How far outside the image (as a fraction of its size) a point may fall and still be clamped to the
    /// edge: rounding in the model or in `smartResize` can overshoot by a little, nothing more.
    public static let clampTolerance = 0.01

    public init(convention: CoordinateConvention, screen: Rect, sentImage: Size) throws(SmartResizeError) {
        self.convention = convention
        self.screen = screen
        self.sentImage = sentImage
        let space = try convention.modelSpace(forSent: sentImage)
        self.modelWidth = space.width
        self.modelHeight = space.height
    }

    /// A mapping whose image was sent at the screen's own size.
    public init(convention: CoordinateConvention, screen: Rect) throws(SmartResizeError) {
        try self.init(convention: convention, screen: screen, sentImage: screen.size)
    }

    public var description: String {
        "\(convention), model space \(modelWidth.formatted)x\(modelHeight.formatted), sent \(sentImage), screen \(screen)"
    }

    /// Maps one point, with everything a trace needs to explain it.
    public func map(_ p: ModelPoint) throws(CoordinateError) -> MappedPoint {
        guard p.x.isFinite, p.y.isFinite else { throw CoordinateError(point: p, mapping: self, reason: "not a finite number") }
        guard modelWidth > 0, modelHeight > 0, !screen.isEmpty else {
            throw CoordinateError(point: p, mapping: self, reason: "empty model space or screen")
        }
        let fx = p.x / modelWidth, fy = p.y / modelHeight
        let tol = Self.clampTolerance
        guard fx >= -tol, fx <= 1 + tol, fy >= -tol, fy <= 1 + tol else {
            throw CoordinateError(point: p, mapping: self,
                                  reason: "outside the \(modelWidth.formatted)x\(modelHeight.formatted) model space")
        }
        let exactX = fx * Double(screen.width), exactY = fy * Double(screen.height)
        // Pixel `k` covers [k, k+1): round to the nearest pixel, then keep it on the captured area.
        let px = Int(exactX.rounded()), py = Int(exactY.rounded())
        let cx = min(max(px, 0), screen.width - 1), cy = min(max(py, 0), screen.height - 1)
        let clamped = fx < 0 || fx > 1 || fy < 0 || fy > 1
        return MappedPoint(model: p, exactX: exactX + Double(screen.x), exactY: exactY + Double(screen.y),
                           screen: Point(x: cx + screen.x, y: cy + screen.y), clamped: clamped)
    }

    /// The root-window pixel for a model point.
    public func toScreen(_ p: ModelPoint) throws(CoordinateError) -> Point {
        try map(p).screen
    }

    /// The action with every point mapped to root-window pixels.
    public func toScreen(_ action: ModelAction) throws(CoordinateError) -> ScreenAction {
        do {
            return try action.mapPoints { try self.toScreen($0) }
        } catch let e as CoordinateError {
            throw e
        } catch {
            throw CoordinateError(point: ModelPoint(x: .nan, y: .nan), mapping: self, reason: "\(error)")
        }
    }

    /// Every point of `action` with its mapping details, for the trace.
    public func records(for action: ModelAction) throws(CoordinateError) -> [MappedPoint] {
        var out: [MappedPoint] = []
        for p in action.points { out.append(try map(p)) }
        return out
    }
}

/// One mapped point as a trace records it: the model's point, the exact screen position and the pixel.
public struct MappedPoint: Sendable, Hashable, Codable {
    public var model: ModelPoint
    /// The unrounded root-window position (e.g. 195.78, 519.23), before clamping.
    public var exactX: Double
    public var exactY: Double
    public var screen: Point
    /// True when the point fell just outside the image and was pulled onto its edge.
    public var clamped: Bool

    public init(model: ModelPoint, exactX: Double, exactY: Double, screen: Point, clamped: Bool) {
        self.model = model
        self.exactX = exactX
        self.exactY = exactY
        self.screen = screen
        self.clamped = clamped
    }
}

/// A model point that cannot be mapped to the screen (off the image by more than the clamp tolerance,
/// or not a number). Exit 2: coordinates off screen.
public struct CoordinateError: DeskError, Hashable {
    public var point: ModelPoint
    public var mapping: CoordinateMapping
    public var reason: String

    public init(point: ModelPoint, mapping: CoordinateMapping, reason: String) {
        self.point = point
        self.mapping = mapping
        self.reason = reason
    }

    public var description: String { "model point \(point) cannot be mapped: \(reason) (\(mapping))" }
    public var exitStatus: ExitStatus { .usage }
}
