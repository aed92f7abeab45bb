import ArgumentParser

/// `deskpilot act …`: one input action. (Owned by the input work; this is the registration point.)
struct Act: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Perform one input action: click, move, drag, scroll, key, press, release, focus, type.",
        subcommands: [])
}
