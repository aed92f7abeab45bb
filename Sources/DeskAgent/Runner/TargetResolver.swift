import DeskCore
import Foundation

/// Turns a task step's target into a root-window point: coordinates as given, a point inside a window, or
/// the centre of an image found on screen. Text targets need local grounding (a later issue).
public struct TargetResolver: Sendable {
    public let desktop: Desktop
    /// Minimum template-match score for `image:` targets.
    public var imageThreshold: Double

    public init(desktop: Desktop, imageThreshold: Double = 0.9) {
        self.desktop = desktop
        self.imageThreshold = imageThreshold
    }

    /// The message for text targets and text conditions until local grounding exists.
    public static let textUnavailable = "text targets need local grounding, not available yet"

    /// The root-window point for `target`, checked to lie on the screen.
    public func resolve(_ target: Target, where source: SourceLocation?) throws -> Point {
        let screen = desktop.screen.screenRect
        let prefix = source.map { "\($0): " } ?? ""
        let point: Point
        switch target {
        case .at(let p):
            point = p
        case .inWindow(let matcher, let offset):
            guard let window = Self.firstWindow(matching: matcher, in: desktop.windows.windows()) else {
                throw StepFailure("\(prefix)no window matches [\(matcher)]")
            }
            guard offset.x >= 0, offset.y >= 0, offset.x < window.rect.width, offset.y < window.rect.height else {
                throw InputError("\(prefix)point \(offset) is outside window \(window) (\(window.rect.width)x\(window.rect.height))")
            }
            point = window.rect.origin + offset
        case .image(let path):
            let bytes: Data
            do { bytes = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
                throw InputError("\(prefix)cannot read the image \(path): \(error.localizedDescription)")
            }
            let template = try desktop.codec.decodePNG([UInt8](bytes), path: path)
            let frame = try desktop.screen.capture()
            guard let match = desktop.codec.locate(template, in: frame, threshold: imageThreshold) else {
                throw StepFailure("\(prefix)the image \(path) is not on the screen (no match scoring \(imageThreshold.formatted) or more)")
            }
            point = frame.origin + match.rect.center
        case .text:
            throw InputError("\(prefix)\(Self.textUnavailable)")
        }
        guard screen.contains(point) else {
            throw InputError("\(prefix)point \(point) is off the \(screen.width)x\(screen.height) screen")
        }
        return point
    }

    /// The topmost window the matcher accepts.
    public static func firstWindow(matching matcher: WindowMatcher, in windows: [WindowSummary]) -> WindowSummary? {
        windows.reversed().first { matcher.matches(PolicyGate.policyWindow($0)) }
    }
}

/// A scripted step that could not be done (a window that is not there, an image not on screen): the task
/// fails with exit status 1.
public struct StepFailure: DeskError {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
    public var exitStatus: ExitStatus { .failure }
}
