/// Durations for people in eval's progress line and report: `850ms`, `4.2s`, `3m 05s`, `1h 02m`.
public enum DurationWords {
    public static func format(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "?" }
        if seconds < 1 { return "\(Int((seconds * 1000).rounded()))ms" }
        if seconds < 60 {
            let tenths = (seconds * 10).rounded() / 10
            return tenths == tenths.rounded() ? "\(Int(tenths))s" : "\(tenths)s"
        }
        let total = Int(seconds.rounded())
        if total < 3600 { return "\(total / 60)m \(pad(total % 60))s" }
        return "\(total / 3600)h \(pad((total % 3600) / 60))m"
    }

    private static func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
