/// A policy's `text`: patterns that typed text must not form.
///
/// Checked against the recent stream typed into the focused window (typed text and single key presses
/// together, BackSpace removing the last character), folded by ``TextNormalizer``, so `rm -r` then `f /`
/// in two actions, or `ｒｍ －ｒｆ`, is caught like `rm -rf /`.
public struct TextRules: Sendable, Hashable, Codable {
    /// Patterns that deny the action whose text completes a match.
    public var deny: [TextRule]
    /// How many recent characters per window the stream keeps.
    public var streamLength: Int

    /// The default stream length: longer than any command line worth catching.
    public static let defaultStreamLength = 512

    public init(deny: [TextRule] = [], streamLength: Int = TextRules.defaultStreamLength) {
        self.deny = deny
        self.streamLength = streamLength
    }
}
