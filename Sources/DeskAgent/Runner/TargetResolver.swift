import DeskCore
import Foundation

/// Turns a task step's target into a root-window point: coordinates as given, a point inside a window, the
/// centre of an image found on screen, or the centre of a text found by the desktop's ``TextFinder``.
public struct TargetResolver: Sendable {
    public let desktop: Desktop
    /// Minimum template-match score for `image:` targets.
    public var imageThreshold: Double

    public init(desktop: Desktop, imageThreshold: Double = 0.9) {
        self.desktop = desktop
        self.imageThreshold = imageThreshold
    }

    /// The message for text targets, text waits and screen-text checks when the run has no text finder.
    public static let textUnavailable = "text targets and screen text checks need the local text grounder (OCR), which this runner does not have"

    /// The message for element targets, waits and checks when the run has no accessibility tree.
    public static let elementsUnavailable = "element targets and checks need the accessibility tree (AT-SPI), which this runner does not have"

    /// The root-window point for `target`, checked to lie on the screen.
    public func resolve(_ target: Target, where source: SourceLocation?) throws -> Point {
        try locate(target, where: source).point
    }

    /// The root-window point for `target`, checked to lie on the screen, and how it was found (for grounded
    /// targets: text, elements, images).
    public func locate(_ target: Target, where source: SourceLocation?) throws -> (point: Point, grounding: TraceGrounding?) {
        let screen = desktop.screen.screenRect
        let prefix = source.map { "\($0): " } ?? ""
        let point: Point
        var grounding: TraceGrounding?
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
            grounding = TraceGrounding(target: target.description, grounder: Grounders.template,
                                       box: Rect(origin: frame.origin + match.rect.origin, size: match.rect.size), point: point)
        case .text(let text):
            let frame = try desktop.screen.capture()
            let found = try Self.requireText(TextSearch(text), in: frame, desktop: desktop, prefix: prefix)
            point = found.point
            grounding = TraceGrounding(target: target.description, grounder: found.grounder, role: found.role,
                                       name: found.grounder == Grounders.a11y ? found.text : nil, box: found.box, point: point)
        case .element(let query):
            let frame = try desktop.screen.capture()
            let found = try Self.requireElement(query, in: frame, desktop: desktop, prefix: prefix)
            point = found.point
            grounding = TraceGrounding(target: target.description, grounder: Grounders.a11y, role: found.node.role,
                                       name: found.node.name, box: found.node.box, point: point)
        }
        guard screen.contains(point) else {
            throw InputError("\(prefix)point \(point) is off the \(screen.width)x\(screen.height) screen")
        }
        return (point, grounding)
    }

    /// The best element on `frame` matching `query`, or nil when none is showing.
    /// - Throws: `InputError` when the desktop has no element finder; the finder's errors (no accessibility
    ///   bus: `EnvironmentError`; a `within` window that is not there).
    public static func findElement(_ query: ElementQuery, in frame: Frame, desktop: Desktop) throws -> FoundElement? {
        guard let finder = desktop.elementFinder else { throw InputError(elementsUnavailable) }
        return try finder.find(query, in: frame, windows: desktop.windows.windows()).first
    }

    /// The best element on `frame` matching `query`.
    /// - Throws: ``StepFailure`` (exit status 1) naming the closest names when it is not there.
    public static func requireElement(_ query: ElementQuery, in frame: Frame, desktop: Desktop, prefix: String = "") throws -> FoundElement {
        do {
            if let found = try findElement(query, in: frame, desktop: desktop) { return found }
        } catch let error as InputError {
            throw InputError(prefix + error.message)
        } catch let error as EnvironmentError {
            throw EnvironmentError(prefix + error.message)
        }
        throw StepFailure("\(prefix)no \(query) on the screen" + (query.name.map { closestNote($0, desktop: desktop) } ?? ""))
    }

    /// The best place on `frame` that says `search`, or nil when it is not there.
    /// - Throws: `InputError` when the desktop has no text finder; the finder's errors (a `within` window
    ///   that is not there, missing OCR data).
    public static func findText(_ search: TextSearch, in frame: Frame, desktop: Desktop) throws -> FoundText? {
        guard let finder = desktop.textFinder else { throw InputError(textUnavailable) }
        return try finder.find(search, in: frame, windows: desktop.windows.windows()).first
    }

    /// The best place on `frame` that says `search`.
    /// - Throws: ``StepFailure`` (exit status 1) naming the texts that came closest when it is not there.
    public static func requireText(_ search: TextSearch, in frame: Frame, desktop: Desktop, prefix: String = "") throws -> FoundText {
        do {
            if let found = try findText(search, in: frame, desktop: desktop) { return found }
        } catch let error as InputError {
            throw InputError(prefix + error.message)
        }
        throw StepFailure("\(prefix)the text \(search) is not on the screen" + closestNote(search.text, desktop: desktop))
    }

    /// `; closest texts seen: 'Sove', 'Safe'` from the last screen the finder read, or nothing.
    public static func closestNote(_ text: String, desktop: Desktop) -> String {
        let closest = desktop.textFinder?.closestTexts(to: text, limit: 5) ?? []
        return closest.isEmpty ? "" : "; closest texts seen: " + closest.map { "'\($0)'" }.joined(separator: ", ")
    }

    /// The topmost window the matcher accepts (with `dialog_of`, among the dialogs of the windows it names).
    public static func firstWindow(matching matcher: WindowMatcher, in windows: [WindowSummary]) -> WindowSummary? {
        guard matcher.namesParent else { return windows.reversed().first { matcher.matches(PolicyGate.policyWindow($0)) } }
        let parent = WindowMatcher(className: matcher.dialogOfClass, title: matcher.dialogOfTitle)
        let parents = Set(windows.filter { parent.matches(PolicyGate.policyWindow($0)) }.map(\.id))
        let ownOnly = WindowMatcher(className: matcher.className, title: matcher.title)
        return windows.reversed().first { w in
            guard let owner = w.transientFor, parents.contains(owner) else { return false }
            return (matcher.className == nil && matcher.title == nil) || ownOnly.matches(PolicyGate.policyWindow(w))
        }
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
