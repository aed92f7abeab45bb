/// Finds text on a screen: `text:` targets, `wait_for: {text: …}` and `screen_contains` checks.
///
/// DeskCore and DeskAgent import no C, so the executable implements this over DeskGrounding's OCR. One
/// instance serves one run, so what it read on one step is reused on the next (only changed regions are
/// read again). Loading the OCR models waits for the first call.
public protocol TextFinder: AnyObject, Sendable {
    /// Every place on `frame` that says `search.text`, best first (or nearest the `near` anchor first; with
    /// `nth`, only that one). `windows` are the top-level windows, bottom to top, for `within`.
    /// - Throws: a `DeskError` with exit status 1 when the `within` window or the `near` anchor is not on
    ///   the screen; an `EnvironmentError` when the OCR data is missing.
    func find(_ search: TextSearch, in frame: Frame, windows: [WindowSummary]) throws -> [FoundText]
    /// Texts read on the last screen that come closest to `text`, for "not found" messages.
    func closestTexts(to text: String, limit: Int) -> [String]
}
