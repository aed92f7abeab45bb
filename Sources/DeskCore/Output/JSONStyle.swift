import Foundation

/// The one JSON style of everything deskpilot prints or serves (CLI `--json`, the HTTP API, SSE, MCP):
/// snake_case keys, ISO 8601 times with milliseconds (`2026-12-03T07:30:00.123Z`), keys sorted, one compact
/// object per line (JSON Lines).
///
/// Types spell their keys with `CodingKeys`; ``snakeCased(_:)`` is the safety net for outputs whose types
/// live in other modules (a camelCase key such as `captureMethod` becomes `capture_method`; keys that are
/// data — `XTEST`, `MIT-SHM`, a window title — are left alone because they do not start lowercase-then-camel).
public enum JSONStyle {
    /// A compact encoder with sorted keys and ISO 8601 times.
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(formatTime(date))
        }
        return encoder
    }

    /// A decoder for what ``encoder()`` writes (times with or without fractional seconds).
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

    /// `2026-12-03T07:30:00.123Z`.
    public static func formatTime(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// Parses an ISO 8601 time with or without fractional seconds.
    public static func parseTime(_ text: String) -> Date? {
        if let d = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return d }
        return try? Date.ISO8601FormatStyle().parse(text)
    }

    /// `value` as one line of JSON (no newline inside, none at the end), keys snake_cased.
    public static func line<T: Encodable>(_ value: T) throws -> String {
        let data = try encoder().encode(value)
        guard let tree = try? JSONDecoder().decode(JSONValue.self, from: data) else {
            return String(decoding: data, as: UTF8.self)
        }
        return String(decoding: try encoder().encode(snakeCased(tree)), as: UTF8.self)
    }

    /// `value` as a JSON tree with snake_case keys.
    public static func tree<T: Encodable>(_ value: T) throws -> JSONValue {
        snakeCased(try JSONDecoder().decode(JSONValue.self, from: try encoder().encode(value)))
    }

    /// Every camelCase key of `value`, at any depth, in snake_case.
    public static func snakeCased(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let object):
            var out: [String: JSONValue] = [:]
            for (key, inner) in object { out[snakeCase(key)] = snakeCased(inner) }
            return .object(out)
        case .array(let items): return .array(items.map(snakeCased))
        default: return value
        }
    }

    /// `captureMethod` → `capture_method`; anything that is not lowerCamelCase ASCII is returned unchanged.
    public static func snakeCase(_ key: String) -> String {
        guard let first = key.unicodeScalars.first, ("a"..."z").contains(first),
              key.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) }),
              key.unicodeScalars.contains(where: { ("A"..."Z").contains($0) })
        else { return key }
        var out = ""
        for scalar in key.unicodeScalars {
            if ("A"..."Z").contains(scalar) {
                out += "_" + String(scalar).lowercased()
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// True when every key of `value`, at any depth, is snake_case (lowercase ASCII, digits and `_`), apart
    /// from the keys of objects named in `dataKeys` (maps whose keys are data, such as `extensions`).
    public static func isSnakeCase(_ value: JSONValue, dataKeys: Set<String> = ["extensions", "details", "env"]) -> Bool {
        switch value {
        case .object(let object):
            for (key, inner) in object {
                let ok = key.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
                if !ok { return false }
                if dataKeys.contains(key) { continue }
                if !isSnakeCase(inner, dataKeys: dataKeys) { return false }
            }
            return true
        case .array(let items): return items.allSatisfy { isSnakeCase($0, dataKeys: dataKeys) }
        default: return true
        }
    }
}
