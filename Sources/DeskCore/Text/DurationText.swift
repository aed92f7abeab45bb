import Foundation

/// Parses the CLI's and task files' durations: `500ms`, `2s`, `1.5s`, `5m`, `1h`.
public enum DurationText {
    /// Seconds for `text`, or `nil` when it is not a duration (a bare number is not accepted: units are required).
    public static func seconds(_ text: String) -> Double? {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, scale) in units where t.hasSuffix(suffix) {
            let number = t.dropLast(suffix.count)
            guard !number.isEmpty, number.allSatisfy({ $0.isNumber || $0 == "." }),
                  let value = Double(number), value.isFinite, value >= 0
            else { return nil }
            return value * scale
        }
        return nil
    }
}
