import Foundation

/// Parses the CLI's and task files' durations: `500ms`, `2s`, `1.5s`, `5m`, `1h`.
///
/// Every duration is bounded by ``maximumSeconds`` (a day): a wait or timeout beyond that is a mistake or
/// an attack, never a plan.
public enum DurationText {
    /// The longest duration accepted anywhere, in seconds.
    public static let maximumSeconds = 86_400.0
    /// ``maximumSeconds`` as people write it.
    public static let maximumText = "24h"

    /// Seconds for `text`, or `nil` when it is not a duration (a bare number is not accepted: units are
    /// required) or longer than ``maximumSeconds``.
    public static func seconds(_ text: String) -> Double? {
        guard let value = unbounded(text), value <= maximumSeconds else { return nil }
        return value
    }

    /// True when `text` is a well-formed duration longer than ``maximumSeconds``, for error messages.
    public static func exceedsMaximum(_ text: String) -> Bool {
        unbounded(text).map { $0 > maximumSeconds } ?? false
    }

    private static func unbounded(_ text: String) -> Double? {
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
