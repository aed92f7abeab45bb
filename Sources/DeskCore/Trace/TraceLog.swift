import Foundation

/// The events of a `trace.jsonl`, parsed line by line, with what could not be read.
///
/// A run killed mid-write leaves at most one partial line, the last one: it is ignored and reported
/// in ``truncatedLine``. A bad line elsewhere is a damaged file and is listed in ``invalidLines``;
/// the events around it are kept.
public struct TraceLog: Sendable, Hashable {
    /// One line that did not parse: its 1-based number and why.
    public struct InvalidLine: Sendable, Hashable, Codable {
        public var line: Int
        public var error: String

        public init(line: Int, error: String) {
            self.line = line
            self.error = error
        }
    }

    public var events: [TraceEvent]
    /// The 1-based number of an unfinished last line that was ignored.
    public var truncatedLine: Int?
    public var invalidLines: [InvalidLine]

    public init(events: [TraceEvent], truncatedLine: Int? = nil, invalidLines: [InvalidLine] = []) {
        self.events = events
        self.truncatedLine = truncatedLine
        self.invalidLines = invalidLines
    }

    /// Parses the bytes of a `trace.jsonl`. Blank lines are skipped.
    public init(parsing data: Data) {
        let decoder = TraceCoding.decoder()
        let newline = UInt8(ascii: "\n")
        var events: [TraceEvent] = []
        var invalid: [InvalidLine] = []
        var truncated: Int?
        let bytes = [UInt8](data)
        var start = 0
        var number = 0
        while start < bytes.count {
            number += 1
            let end = bytes[start...].firstIndex(of: newline) ?? bytes.count
            let isLast = end == bytes.count
            let slice = bytes[start..<end]
            start = end + 1
            if slice.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            do {
                events.append(try decoder.decode(TraceEvent.self, from: Data(slice)))
            } catch {
                // Only a last line without its newline can be a write cut short; anything else is damage.
                if isLast {
                    truncated = number
                } else {
                    invalid.append(InvalidLine(line: number, error: Self.describe(error)))
                }
            }
        }
        self.init(events: events, truncatedLine: truncated, invalidLines: invalid)
    }

    /// A one-line reason for a decoding error, naming the field.
    static func describe(_ error: any Error) -> String {
        guard let e = error as? DecodingError else { return "\(error)" }
        func path(_ c: DecodingError.Context) -> String {
            let p = c.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return p.isEmpty ? "" : " at \(p)"
        }
        switch e {
        case .dataCorrupted(let c): return "not valid JSON\(path(c)): \(c.debugDescription)"
        case .keyNotFound(let k, let c): return "missing \(k.stringValue)\(path(c))"
        case .typeMismatch(_, let c), .valueNotFound(_, let c): return "wrong type\(path(c)): \(c.debugDescription)"
        @unknown default: return "\(e)"
        }
    }
}
