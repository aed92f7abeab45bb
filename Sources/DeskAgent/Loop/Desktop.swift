import DeskCore

/// Everything a run touches on the desktop, as protocols: the executable fills it with X11 and DeskImaging
/// adapters, tests with fakes.
public struct Desktop: Sendable {
    public var screen: any ScreenSource
    public var performer: any ActionPerformer
    public var windows: any WindowLookup
    public var codec: any FrameCodec
    /// DAMAGE events; nil falls back to comparing frames.
    public var watcher: (any ChangeWatcher)?
    /// The person at the terminal, when there is one.
    public var prompt: (any PersonPrompt)?
    /// Starts setup commands and check commands (scripted tasks only).
    public var launcher: (any ProcessLauncher)?
    /// Local text grounding (OCR) for `text:` targets, text waits and screen-text checks; nil when the run
    /// has none (they are refused before the run starts).
    public var textFinder: (any TextFinder)?
    /// The accessibility tree for `element:` targets, waits and checks; nil when the run has none.
    public var elementFinder: (any ElementFinder)?

    public init(screen: any ScreenSource, performer: any ActionPerformer, windows: any WindowLookup,
                codec: any FrameCodec, watcher: (any ChangeWatcher)? = nil, prompt: (any PersonPrompt)? = nil,
                launcher: (any ProcessLauncher)? = nil, textFinder: (any TextFinder)? = nil,
                elementFinder: (any ElementFinder)? = nil) {
        self.screen = screen
        self.performer = performer
        self.windows = windows
        self.codec = codec
        self.watcher = watcher
        self.prompt = prompt
        self.launcher = launcher
        self.textFinder = textFinder
        self.elementFinder = elementFinder
    }
}
