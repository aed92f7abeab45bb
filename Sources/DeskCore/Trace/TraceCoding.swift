import Foundation

/// The one encoder and decoder configuration for trace files.
///
/// Times are ISO 8601 with milliseconds (`2025-06-01T12:00:00.123Z`); keys are spelled by each
/// type's own `CodingKeys`, so no key strategy is set (it would also rewrite the keys of embedded
/// actions and mappings).
public enum TraceCoding {
    /// An encoder that writes one compact JSON object (no newlines inside, so one event is one line), keys
    /// sorted so the same event always gives the same bytes.
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(formatTime(date))
        }
        return encoder
    }

    /// A decoder that reads times with or without fractional seconds.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = parseTime(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an ISO 8601 time: \(text)")
            }
            return date
        }
        return decoder
    }

    /// `2025-06-01T12:00:00.123Z`.
    public static func formatTime(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// Parses an ISO 8601 time with or without fractional seconds.
    public static func parseTime(_ text: String) -> Date? {
        if let d = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return d }
        return try? Date.ISO8601FormatStyle().parse(text)
    }

    /// One event as one line of `trace.jsonl`, without the newline: `type` first (so `head` and `grep`
    /// read well), then the other keys sorted.
    public static func line(_ event: TraceEvent) throws -> String {
        let encoder = encoder()
        let body: Data
        switch event {
        case .runStart(let e): body = try encoder.encode(e)
        case .step(let e): body = try encoder.encode(e)
        case .check(let e): body = try encoder.encode(e)
        case .runEnd(let e): body = try encoder.encode(e)
        case .other(_, let fields):
            guard case .object(var object) = fields else { return String(decoding: try encoder.encode(event), as: UTF8.self) }
            object["type"] = nil
            body = try encoder.encode(JSONValue.object(object))
        }
        var rest = String(decoding: body, as: UTF8.self)
        guard rest.hasPrefix("{") else { return String(decoding: try encoder.encode(event), as: UTF8.self) }
        rest.removeFirst()
        let type = String(decoding: try encoder.encode(event.type), as: UTF8.self)
        return "{\"type\":" + type + (rest == "}" ? "" : ",") + rest
    }

    /// Decodes one line of `trace.jsonl`.
    public static func event(fromLine line: String) throws -> TraceEvent {
        try decoder().decode(TraceEvent.self, from: Data(line.utf8))
    }
}
