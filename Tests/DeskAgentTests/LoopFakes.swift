import DeskAgent
import DeskCore
import Foundation
import Synchronization

/// A pretend application for loop and runner tests: labelled buttons and a text field on a small screen.
/// Clicking a button or typing changes the screen; clicking anywhere else changes nothing.
final class FakeApp: ScreenSource, ActionPerformer, WindowLookup, Sendable {
    let screenRect: Rect
    let buttons: [(label: String, rect: Rect)]
    let window: WindowSummary
    private struct State {
        var revision: UInt8 = 0
        var clicked: [String] = []
        var typed = ""
        var performed: [ScreenAction] = []
        var focused: [UInt] = []
        var releases = 0
    }
    private let state = Mutex(State())
    var clicked: [String] { state.withLock { $0.clicked } }
    var typed: String { state.withLock { $0.typed } }
    var performed: [ScreenAction] { state.withLock { $0.performed } }
    var focused: [UInt] { state.withLock { $0.focused } }
    var releases: Int { state.withLock { $0.releases } }

    init(size: Size = Size(width: 1000, height: 800),
         buttons: [(String, Rect)] = [("OK", Rect(x: 100, y: 100, width: 100, height: 40)),
                                      ("Cancel", Rect(x: 300, y: 100, width: 100, height: 40))]) {
        screenRect = Rect(origin: Point(x: 0, y: 0), size: size)
        self.buttons = buttons.map { (label: $0.0, rect: $0.1) }
        window = WindowSummary(id: 0x200001, instance: "fake", className: "FakeApp", title: "Fake app",
                               rect: Rect(x: 0, y: 0, width: size.width, height: size.height))
    }

    func capture() throws -> Frame {
        // A grey screen whose first byte is the fake app's revision.
        var frame = try Frame.filled(screenRect.size, format: .gray, byte: 200,
                                     captureTime: DispatchTime.now().uptimeNanoseconds)
        frame[byte: 0] = state.withLock { $0.revision }
        return frame
    }

    func perform(_ action: ScreenAction) throws {
        try state.withLock { state in
            state.performed.append(action)
            switch action {
            case .click(let p?, _, _):
                if let hit = buttons.first(where: { $0.rect.contains(p) }) {
                    state.clicked.append(hit.label)
                    state.revision &+= 1
                }
            case .type(let text):
                state.typed += text
                state.revision &+= 1
            case .key(let chord) where chord.lowercased().contains("nonsense"):
                throw InputError("unknown key name 'nonsense'")
            default:
                break
            }
        }
    }

    func focus(window: UInt) throws {
        state.withLock { $0.focused.append(window) }
    }

    func releaseAll() {
        state.withLock { $0.releases += 1 }
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
final class FakePrompt: PersonPrompt, Sendable {
    let isInteractive: Bool
    private let state: Mutex<(answers: [String], questions: [String])>
    var questions: [String] { state.withLock { $0.questions } }

    init(interactive: Bool, answers: [String] = []) {
        isInteractive = interactive
        state = Mutex((answers, []))
    }

    func confirm(_ question: String) -> Bool? {
        guard let a = ask(question) else { return nil }
        return a == "y"
    }

    func ask(_ question: String) -> String? {
        state.withLock { state in
            state.questions.append(question)
            return state.answers.isEmpty ? nil : state.answers.removeFirst()
        }
    }
}

/// Collects the live output.
final class CollectingReporter: StepReporter, Sendable {
    private let state = Mutex<(steps: [StepOutcome], messages: [String])>(([], []))
    var steps: [StepOutcome] { state.withLock { $0.steps } }
    var messages: [String] { state.withLock { $0.messages } }

    func step(_ outcome: StepOutcome) {
        state.withLock { $0.steps.append(outcome) }
    }

    func message(_ text: String) {
        state.withLock { $0.messages.append(text) }
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
final class FakeTextFinder: TextFinder, Sendable {
    let app: FakeApp
    private let state = Mutex<(extra: [(String, Rect)], searches: [TextSearch])>(([], []))
    var searches: [TextSearch] { state.withLock { $0.searches } }

    init(app: FakeApp) { self.app = app }

    /// Puts `text` on the fake screen.
    func show(_ text: String, at rect: Rect) {
        state.withLock { $0.extra.append((text, rect)) }
    }

    private var texts: [(String, Rect)] { app.buttons.map { ($0.label, $0.rect) } + state.withLock { $0.extra } }

    func find(_ search: TextSearch, in frame: Frame, windows: [WindowSummary]) throws -> [FoundText] {
        state.withLock { $0.searches.append(search) }
        return texts.filter { $0.0.lowercased() == search.text.lowercased() }
            .map { FoundText(text: $0.0, point: $0.1.center, box: $0.1, score: 0.95) }
    }

    func closestTexts(to text: String, limit: Int) -> [String] { Array(texts.map(\.0).prefix(limit)) }
}
