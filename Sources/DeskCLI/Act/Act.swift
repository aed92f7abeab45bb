import ArgumentParser

/// `deskpilot act …`: one input action through XTest.
public struct Act: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        abstract: "Perform one input action: click, move, drag, scroll, key, press, release, focus, type.",
        discussion: """
            Coordinates are root-window pixels; points outside the screen (or on no monitor) are input errors \
            (exit 2). Every action releases what it pressed before exiting, except `press`, which leaves its key \
            down until `act release` (like `xdotool keydown`). Typed text is exact on any keyboard layout: \
            characters the layout lacks are bound to spare keycodes for the duration of the command. Every action \
            passes the policy engine first (--policy, default permissive: only session-ending chords are refused); \
            a refused action exits 4 with the rule and the reason. Modifiers held by earlier `act press` commands \
            count as part of a chord, and every later `act` judges a key left down again (releasing it before the \
            pointer, the focus or an added modifier takes it into a refused context). What a killed deskpilot left on \
            the display (spare keycodes, held keys and buttons) is undone by the next command, with one line on stderr. \
            The policy's kill hotkey (ctrl+alt+shift+escape) stops an action that lasts (type, drag, repeated \
            clicks or scrolls), exit 130; instant ones (move, key, press, release, focus) do not grab it.
            """,
        subcommands: [ActClick.self, ActMove.self, ActDrag.self, ActScroll.self, ActKey.self, ActPress.self,
                      ActRelease.self, ActFocus.self, ActType.self])
}
