import DeskCore

/// How text is typed.
public enum TypingMethod: String, Sendable, Hashable, Codable, CaseIterable {
    /// Key events through XTest, binding characters the layout lacks to spare keycodes.
    case keys
    /// Owning a selection that serves the text, then pressing the paste chord.
    case paste
}

/// Which selection `--method paste` owns.
public enum PasteSelection: String, Sendable, Hashable, Codable, CaseIterable {
    case clipboard, primary

    /// The selection atom's name.
    public var atomName: String { self == .clipboard ? "CLIPBOARD" : "PRIMARY" }
}

/// Timing and behaviour of input injection. Durations are seconds.
///
/// The defaults are chosen from measurements on Xvfb (see docs and ``rebindSettle``); slower machines or
/// heavily loaded desktops may want longer settles.
public struct InputOptions: Sendable, Hashable {
    /// How long a click holds the button (10–50 ms is what toolkits expect; xdotool's 12 µs is fragile).
    public var clickHold: Double
    /// Gap between the clicks of a double or triple click (well inside the usual 400 ms double-click time).
    public var multiClickInterval: Double
    /// Pause after moving the pointer before pressing a button, so the app has seen the pointer arrive.
    public var moveSettle: Double
    /// Number of intermediate motion steps of a drag (one-step drags often fail to start).
    public var dragSteps: Int
    /// Pause between drag steps.
    public var dragStepDelay: Double
    /// Pause after pressing at the start and before releasing at the end of a drag.
    public var dragSettle: Double
    /// Pause between scroll notches.
    public var scrollNotchDelay: Double
    /// Pause between typed characters (0 = as fast as the server takes them; events stay in order).
    public var keyDelay: Double
    /// How long a key chord holds its key.
    public var chordHold: Double
    /// Wait after binding spare keycodes before typing with them. Clients receive the keymap notification
    /// before the key events that follow it on the same connection, so 0 lost nothing in the measurement
    /// (`TypingSettleMeasurement`, Xvfb on 2 vCPUs, idle and with 8 extra clients plus 2 busy CPU loops); the
    /// default keeps a small margin for clients that handle notifications asynchronously.
    public var bindSettle: Double
    /// Wait after the last key typed with a spare binding before that binding may change or be removed: the
    /// time the receiving client needs to translate the key, because it refetches the keymap lazily at
    /// translation time and would read the new symbol. Measured (16 strings each, idle + loaded): 0 ms lost
    /// every string, 1 ms 11/16, 2 ms 4/16, 5 ms 1/16, 10 ms and more 0/16. The default is twice the smallest
    /// loss-free value; raise it for slow, busy apps (no X request can confirm another client is done).
    public var rebindSettle: Double
    /// Keep spare bindings after ``InputInjector/type(_:method:)`` returns (an LRU reused by the next call; a
    /// daemon may want this). The keymap is restored by ``InputInjector/restoreKeymap()`` or deinit.
    public var keepBindings: Bool
    /// The selection `paste` typing owns.
    public var pasteSelection: PasteSelection
    /// The chord that makes the target paste (`ctrl+v`; xterm wants `shift+Insert` with PRIMARY).
    public var pasteChord: String
    /// How long paste typing waits for the target to fetch the text.
    public var pasteTimeout: Double
    /// After the text was fetched, how long to keep serving in case the target asks again (some toolkits ask
    /// for several targets in turn).
    public var pasteLinger: Double

    public init(clickHold: Double = 0.012, multiClickInterval: Double = 0.08, moveSettle: Double = 0.002,
                dragSteps: Int = 10, dragStepDelay: Double = 0.015, dragSettle: Double = 0.05,
                scrollNotchDelay: Double = 0.01, keyDelay: Double = 0, chordHold: Double = 0.01,
                bindSettle: Double = 0.002, rebindSettle: Double = 0.02, keepBindings: Bool = false,
                pasteSelection: PasteSelection = .clipboard, pasteChord: String = "ctrl+v", pasteTimeout: Double = 3,
                pasteLinger: Double = 0.05) {
        self.clickHold = clickHold
        self.multiClickInterval = multiClickInterval
        self.moveSettle = moveSettle
        self.dragSteps = dragSteps
        self.dragStepDelay = dragStepDelay
        self.dragSettle = dragSettle
        self.scrollNotchDelay = scrollNotchDelay
        self.keyDelay = keyDelay
        self.chordHold = chordHold
        self.bindSettle = bindSettle
        self.rebindSettle = rebindSettle
        self.keepBindings = keepBindings
        self.pasteSelection = pasteSelection
        self.pasteChord = pasteChord
        self.pasteTimeout = pasteTimeout
        self.pasteLinger = pasteLinger
    }
}
