/// Reads the accessibility tree of a display (DeskA11y implements it over AT-SPI).
public protocol A11yTreeSource: AnyObject, Sendable {
    /// The tree of what is showing (every node with `all`), walked afresh.
    /// - Throws: `EnvironmentError` when there is no accessibility bus or the walk did not finish in time.
    func walk(all: Bool) throws -> A11yTree
}
