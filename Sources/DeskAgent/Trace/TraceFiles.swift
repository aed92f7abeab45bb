/// The names of the files in a run folder, in one place.
public enum TraceFiles {
    public static let events = "trace.jsonl"
    public static let result = "result.json"
    public static let report = "report.html"
    public static let frames = "frames"
    public static let annotated = "annotated"

    /// `frames/0001.png` (four digits, more past step 9999).
    public static func frame(step: Int) -> String { "\(frames)/\(number(step)).png" }
    /// The screen after the run's last action.
    public static let finalFrame = "\(frames)/final.png"
    /// `annotated/0001.png`.
    public static func annotated(step: Int) -> String { "\(annotated)/\(number(step)).png" }

    static func number(_ step: Int) -> String {
        let s = String(step)
        return s.count >= 4 ? s : String(repeating: "0", count: 4 - s.count) + s
    }
}
