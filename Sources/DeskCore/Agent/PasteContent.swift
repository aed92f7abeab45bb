/// What a paste (a paste chord, a middle click) would insert, as the display's selection holds it.
public enum PasteContent: Sendable, Hashable {
    /// Not looked at (lookups without a display): the paste is not judged by its text.
    case notRead
    /// Nobody owns the selection: the paste inserts nothing.
    case empty
    /// The selection's text.
    case text(String)
    /// The owner did not answer with text in time: what the paste inserts is unknown.
    case unknown
}
