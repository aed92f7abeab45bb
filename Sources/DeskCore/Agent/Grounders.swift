/// The names of the grounders, as traces, `locate --json` and the mark table record which one found a target.
public enum Grounders {
    /// The accessibility tree (AT-SPI).
    public static let a11y = "a11y"
    /// Text recognition on the screenshot.
    public static let ocr = "ocr"
    /// Image template matching (`image:` targets, `locate --image`).
    public static let template = "image"
}
