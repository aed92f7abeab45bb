/// Finds elements of the accessibility tree: `element:` targets, waits and checks, `locate --role`.
///
/// DeskCore and DeskAgent import no C; the executable implements this over DeskA11y and DeskGrounding.
public protocol ElementFinder: AnyObject, Sendable {
    /// Every element matching `query` on the screen `frame` shows, best first (nearest the `near` anchor
    /// first; with `nth`, only that one). `windows` are the top-level X windows, bottom to top.
    /// - Throws: `EnvironmentError` when the display has no accessibility bus; a `DeskError` with exit status
    ///   1 when the `within` window or the `near` anchor is not there.
    func find(_ query: ElementQuery, in frame: Frame, windows: [WindowSummary]) throws -> [FoundElement]
    /// The showing tree for `frame` (the same tree again while the screen is unchanged).
    func tree(for frame: Frame?) throws -> A11yTree
}
