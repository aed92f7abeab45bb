import DeskAgent
import DeskCore
import Foundation

/// A pretend application for loop and runner tests: labelled buttons and a text field on a small screen.
/// Clicking a button or typing changes the screen; clicking anywhere else changes nothing.
final class FakeApp: ScreenSource, ActionPerformer, WindowLookup, @unchecked Sendable {
    let screenRect: Rect
    let buttons: [(label: String, rect: Rect)]
    let window: WindowSummary
    private let lock = NSLock()
    private var revision: UInt8 = 0
    private(set) var clicked: [String] = []
    private(set) var typed = ""
    private(set) var performed: [ScreenAction] = []
    private(set) var focused: [UInt] = []
    private(set) var releases = 0

    init(size: Size = Size(width: 1000, height: 800),
         buttons: [(String, Rect)] = [("OK", Rect(x: 100, y: 100, width: 100, height: 40)),
                                      ("Cancel", Rect(x: 300, y: 100, width: 100, height: 40))]) {
        screenRect = Rect(origin: Point(x: 0, y: 0), size: size)
        self.buttons = buttons.map { (label: $0.0, rect: $0.1) }
        window = WindowSummary(id: 0x200001, instance: "fake", className: "FakeApp", title: "Fake app",
                               rect: Rect(x: 0, y: 0, width: size.width, height: size.height))
    }

    func capture() throws -> Frame {
        lock.lock()
        defer { lock.unlock() }
        // A grey screen whose first byte is the fake app's revision.
        var frame = try Frame.filled(screenRect.size, format: .gray, byte: 200,
                                     captureTime: DispatchTime.now().uptimeNanoseconds)
        frame[byte: 0] = revision
        return frame
    }

    func perform(_ action: ScreenAction) throws {
        lock.lock()
        defer { lock.unlock() }
        performed.append(action)
        switch action {
        case .click(let p?, _, _):
            if let hit = buttons.first(where: { $0.rect.contains(p) }) {
                clicked.append(hit.label)
                revision &+= 1
            }
        case .type(let text):
            typed += text
            revision &+= 1
        case .key(let chord) where chord.lowercased().contains("nonsense"):
            throw InputError("unknown key name 'nonsense'")
        default:
            break
        }
    }

    func focus(window: UInt) throws {
        lock.lock()
        focused.append(window)
        lock.unlock()
    }

    func releaseAll() {
        lock.lock()
        releases += 1
        lock.unlock()
    }

    func windows() -> [WindowSummary] { [window] }
    func window(at point: Point) -> WindowSummary? { window.rect.contains(point) ? window : nil }
    func focusedWindow() -> WindowSummary? { window }
    func pointer() -> Point? { Point(x: 0, y: 0) }
}

/// Frames compared by their first byte (the fake app's revision); encoding gives a few fixed bytes.
final class FakeCodec: FrameCodec {
    func encodePNG(_ frame: Frame) throws -> [UInt8] { [0x89, 0x50, 0x4E, 0x47, frame.pixels.first ?? 0] }
    func decodePNG(_ bytes: [UInt8], path: String) throws -> Frame {
        try Frame.filled(Size(width: 4, height: 4), format: .gray)
    }
    /// A grey frame of `size` that keeps the first byte (the revision) and the capture time.
    func resize(_ frame: Frame, to size: Size) -> Frame {
        guard var f = try? Frame.filled(size, format: .gray, byte: 200, captureTime: frame.captureTime) else { return frame }
        if !f.pixels.isEmpty, let first = frame.pixels.first { f[byte: 0] = first }
        return f
    }
    func annotate(_ frame: Frame, action: ScreenAction) -> Frame { frame }
    func changedTiles(_ a: Frame, _ b: Frame) -> [Rect] {
        a.pixels.first == b.pixels.first ? [] : [Rect(x: 0, y: 0, width: a.width, height: a.height)]
    }
    func locate(_ template: Frame, in screen: Frame, threshold: Double) -> ImageMatch? {
        ImageMatch(rect: Rect(x: 100, y: 100, width: 100, height: 40), score: 1)
    }
}

/// A person who answers from a list (or is absent).
final class FakePrompt: PersonPrompt, @unchecked Sendable {
    let isInteractive: Bool
    private let lock = NSLock()
    private var answers: [String]
    private(set) var questions: [String] = []

    init(interactive: Bool, answers: [String] = []) {
        isInteractive = interactive
        self.answers = answers
    }

    func confirm(_ question: String) -> Bool? {
        guard let a = ask(question) else { return nil }
        return a == "y"
    }

    func ask(_ question: String) -> String? {
        lock.lock()
        defer { lock.unlock() }
        questions.append(question)
        return answers.isEmpty ? nil : answers.removeFirst()
    }
}

/// Collects the live output.
final class CollectingReporter: StepReporter, @unchecked Sendable {
    private let lock = NSLock()
    private(set) var steps: [StepOutcome] = []
    private(set) var messages: [String] = []

    func step(_ outcome: StepOutcome) {
        lock.lock()
        steps.append(outcome)
        lock.unlock()
    }

    func message(_ text: String) {
        lock.lock()
        messages.append(text)
        lock.unlock()
    }
}

/// Settling that takes no real time: the fake app's screen changes at once.
let instantSettle = SettleOptions(minimum: 0, maximum: 0.05, quietWindow: 0, pollInterval: 0.002)

/// An executor over the fake app with `policy`.
func makeExecutor(app: FakeApp, policy: Policy = Policy(name: "test"), prompt: FakePrompt? = nil,
                  autoApprove: Bool = false, dryRun: Bool = false, launcher: (any ProcessLauncher)? = nil,
                  textFinder: (any TextFinder)? = nil) -> ActionExecutor {
    let codec = FakeCodec()
    let desktop = Desktop(screen: app, performer: app, windows: app, codec: codec, watcher: nil, prompt: prompt,
                          launcher: launcher, textFinder: textFinder)
    let gate = PolicyGate(policy: policy, windows: app, prompt: prompt, autoApprove: autoApprove, dryRun: dryRun)
    return ActionExecutor(desktop: desktop, gate: gate,
                          settler: Settler(screen: app, watcher: nil, codec: codec, options: instantSettle))
}

/// Text grounding over the fake app: its button labels are the text on its screen (exact, case-insensitive),
/// plus any extra texts a test puts there.
final class FakeTextFinder: TextFinder, @unchecked Sendable {
    let app: FakeApp
    private let lock = NSLock()
    private var extra: [(String, Rect)] = []
    private(set) var searches: [TextSearch] = []

    init(app: FakeApp) { self.app = app }

    /// Puts `text` on the fake screen.
    func show(_ text: String, at rect: Rect) {
        lock.withLock { extra.append((text, rect)) }
    }

    private var texts: [(String, Rect)] { app.buttons.map { ($0.label, $0.rect) } + lock.withLock { extra } }

    func find(_ search: TextSearch, in frame: Frame, windows: [WindowSummary]) throws -> [FoundText] {
        lock.withLock { searches.append(search) }
        return texts.filter { $0.0.lowercased() == search.text.lowercased() }
            .map { FoundText(text: $0.0, point: $0.1.center, box: $0.1, score: 0.95) }
    }

    func closestTexts(to text: String, limit: Int) -> [String] { Array(texts.map(\.0).prefix(limit)) }
}
