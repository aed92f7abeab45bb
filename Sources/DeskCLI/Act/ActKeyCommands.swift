import ArgumentParser
import DeskCore
import DeskX11
import Foundation

/// `act key CHORD`.
struct ActKey: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key", abstract: "Press and release a key chord: ctrl+shift+t, Return, Shift_R, 'ctrl c'.")

    @OptionGroup var displayOptions: DisplayOptions
    @OptionGroup var policyOptions: ActPolicyOptions
    @Argument(help: "The chord.") var chord: String

    func run() throws {
        _ = try KeyChord.parse(chord)  // a bad chord is an input error before touching the display
        let session = try ActSession.open(displayOptions, policy: policyOptions)
        try session.permit(.key(chord: chord))
        try session.injector.key(chord)
    }
}

/// `act press KEY`: leaves the key down (until `act release KEY`).
struct ActPress: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "press", abstract: "Press KEY and leave it down until `act release KEY` (like xdotool keydown).")

    @OptionGroup var displayOptions: DisplayOptions
    @OptionGroup var policyOptions: ActPolicyOptions
    @Argument(help: "A key name (Shift_L, ctrl, a, F5).") var key: String

    func run() throws {
        _ = try KeyName.named(key)
        let session = try ActSession.open(displayOptions, policy: policyOptions)
        try session.permit(.press(key: key))
        try session.injector.press(key)
        session.injector.keepHeldInputAfterExit()
    }
}

/// `act release KEY`.
struct ActRelease: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "release", abstract: "Release KEY (pressed by `act press`).")

    @OptionGroup var displayOptions: DisplayOptions
    @OptionGroup var policyOptions: ActPolicyOptions
    @Argument(help: "A key name.") var key: String

    func run() throws {
        _ = try KeyName.named(key)
        let session = try ActSession.open(displayOptions, policy: policyOptions)
        try session.permit(.release(key: key))
        try session.injector.release(key)
    }
}

/// `act focus WINDOW`.
struct ActFocus: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "focus", abstract: "Give WINDOW the keyboard focus: an id (0x3a00007), class:NAME or title:REGEX.")

    @OptionGroup var displayOptions: DisplayOptions
    @OptionGroup var policyOptions: ActPolicyOptions
    @Argument(help: "Window id, class:NAME or title:REGEX.") var window: String

    func run() throws {
        let selector = try WindowSelector.parse(window)
        let session = try ActSession.open(displayOptions, policy: policyOptions)
        let target = try selector.resolve(on: session.context.display)
        try session.policy.permitFocus(target, display: session.context.display)
        session.policy.rejudgeKept(session.injector, focusing: target)
        try session.injector.focus(target)
    }
}

/// `act type TEXT|-`.
struct ActType: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "type", abstract: "Type TEXT exactly (- reads stdin); \\n is Return, \\t is Tab.")

    @OptionGroup var displayOptions: DisplayOptions
    @OptionGroup var policyOptions: ActPolicyOptions
    @Argument(help: "The text, or - to read it from stdin.") var text: String
    @Option(help: "keys (key events) or paste (own a selection, press the paste chord).") var method: TypingMethod = .keys
    @Option(name: .customLong("paste-chord"), help: "The chord that pastes (default ctrl+v; xterm: shift+Insert with --selection primary).")
    var pasteChord: String?
    @Option(help: "clipboard or primary (with --method paste).") var selection: PasteSelection = .clipboard
    @Option(help: "Pause between characters (e.g. 5ms; default none).") var delay: DurationArgument?

    func run() throws {
        let content: String
        if text == "-" {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            guard let s = String(data: data, encoding: .utf8) else { throw InputError("stdin is not valid UTF-8 text") }
            content = s
        } else {
            content = text
        }
        if let pasteChord { _ = try KeyChord.parse(pasteChord) }
        var input = InputOptions()
        input.pasteSelection = selection
        if let pasteChord { input.pasteChord = pasteChord }
        if let delay { input.keyDelay = delay.seconds }
        let session = try ActSession.open(displayOptions, policy: policyOptions, input: input, stoppable: true)
        try session.permit(.type(text: content))
        // Pasting presses a chord of its own, which the key rules judge like any other.
        // Its text is deskpilot's own, judged just above: the selection is not read for it.
        if method == .paste { try session.policy.permit(.key(chord: input.pasteChord), readingPastes: false) }
        try session.injector.type(content, method: method)
    }
}
