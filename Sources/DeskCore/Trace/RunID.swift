import Foundation

/// A run's folder name: `YYYYmmdd-HHMMSS-xxxx` (local time, then 4 random lowercase hex digits).
///
/// Sorts by start time; the random part keeps two runs started in the same second apart.
public struct RunID: Sendable, Hashable, Codable, CustomStringConvertible, Comparable {
    public let rawValue: String

    /// Accepts only the `YYYYmmdd-HHMMSS-xxxx` shape with a real calendar date and time.
    public init?(_ text: String) {
        guard Self.isValid(text) else { return nil }
        rawValue = text
    }

    /// A new id for a run starting at `date`.
    public static func generate(at date: Date = Date(), timeZone: TimeZone = .current) -> RunID {
        var rng = SystemRandomNumberGenerator()
        return generate(at: date, timeZone: timeZone, using: &rng)
    }

    /// A new id with the random part drawn from `rng` (tests pass a seeded generator).
    public static func generate<R: RandomNumberGenerator>(at date: Date, timeZone: TimeZone,
                                                          using rng: inout R) -> RunID {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func pad(_ v: Int?, _ width: Int) -> String {
            let s = String(v ?? 0)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        let hex = String(UInt16.random(in: 0...UInt16.max, using: &rng), radix: 16)
        let suffix = String(repeating: "0", count: 4 - hex.count) + hex
        let text = pad(c.year, 4) + pad(c.month, 2) + pad(c.day, 2) + "-" + pad(c.hour, 2) + pad(c.minute, 2)
            + pad(c.second, 2) + "-" + suffix
        return RunID(unchecked: text)
    }

    private init(unchecked text: String) { rawValue = text }

    /// True for `YYYYmmdd-HHMMSS-xxxx` with month 01–12, day 01–31, hour 00–23, minute and second 00–59
    /// (60 allowed for a leap second) and lowercase hex.
    public static func isValid(_ text: String) -> Bool {
        let u = Array(text.utf8)
        guard u.count == 20, u[8] == UInt8(ascii: "-"), u[15] == UInt8(ascii: "-") else { return false }
        let digitIndexes = Array(0..<8) + Array(9..<15)
        guard digitIndexes.allSatisfy({ u[$0] >= UInt8(ascii: "0") && u[$0] <= UInt8(ascii: "9") }) else { return false }
        guard u[16..<20].allSatisfy({ ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9"))
            || ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "f")) }) else { return false }
        func number(_ range: Range<Int>) -> Int { range.reduce(0) { $0 * 10 + Int(u[$1] - UInt8(ascii: "0")) } }
        let month = number(4..<6), day = number(6..<8)
        let hour = number(9..<11), minute = number(11..<13), second = number(13..<15)
        return (1...12).contains(month) && (1...31).contains(day) && hour < 24 && minute < 60 && second <= 60
    }

    public var description: String { rawValue }

    public static func < (lhs: RunID, rhs: RunID) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard Self.isValid(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a run id (YYYYmmdd-HHMMSS-xxxx): \(text)")
        }
        rawValue = text
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
