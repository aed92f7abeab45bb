/// A policy's `keys`: which key chords may be pressed.
///
/// Applies to `key` and `press` actions and to typing while a modifier other than shift is held by an
/// earlier `press`. Held modifiers count as part of the chord, so `press ctrl`, `press alt`, `key delete`
/// is judged as ctrl+alt+delete.
public struct KeyRules: Sendable, Hashable, Codable {
    /// When set, only chords matching one of these (with exactly its modifiers) may be pressed.
    public var allow: [KeyChordPattern]?
    /// Chords that are never pressed (matched with at least the pattern's modifiers).
    public var deny: [KeyChordPattern]
    /// The allow-lists of the policies this one was intersected with (``Policy/intersected(with:)``): a
    /// chord must also match one pattern of each.
    public var floorAllow: [[KeyChordPattern]] = []

    public init(allow: [KeyChordPattern]? = nil, deny: [KeyChordPattern] = []) {
        self.allow = allow
        self.deny = deny
    }
}
