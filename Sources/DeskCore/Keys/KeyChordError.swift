/// A key chord or key name that cannot be parsed; exits with status 2 (usage).
///
/// For an unknown name the message lists the closest known names, because the usual cause is a typo
/// (`ctlr`) or another tool's spelling (`pgdown`).
public struct KeyChordError: DeskError, Equatable {
    /// The chord or key name as written.
    public var chord: String
    /// What is wrong, without the suggestions.
    public var message: String
    /// Known names closest to the unknown one (by edit distance), best first; empty when not relevant.
    public var suggestions: [String]

    public init(chord: String, message: String, suggestions: [String] = []) {
        self.chord = chord
        self.message = message
        self.suggestions = suggestions
    }

    public var description: String {
        var text = message
        if !text.contains("'\(chord)'") { text += " in key chord '\(chord)'" }
        if !suggestions.isEmpty { text += " (did you mean \(suggestions.map { "'\($0)'" }.joined(separator: ", "))?)" }
        return text
    }

    public var exitStatus: ExitStatus { .usage }
}
