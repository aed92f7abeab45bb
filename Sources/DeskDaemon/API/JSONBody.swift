import DeskCore
import Foundation

/// A request body read as a JSON object, with typed accessors whose errors name the field.
public struct JSONBody: Sendable {
    public let fields: [String: JSONValue]

    public init(fields: [String: JSONValue]) { self.fields = fields }

    /// Parses `bytes` as one JSON object; malformed JSON is a 400 with the parser's message.
    public static func parse(_ bytes: [UInt8], allowEmpty: Bool = false) throws(APIError) -> JSONBody {
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            if allowEmpty { return JSONBody(fields: [:]) }
            throw APIError(.badRequest, "the request needs a JSON object body")
        }
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: Data(bytes))
        } catch {
            throw APIError(.badRequest, "malformed JSON: \(Self.describe(error))")
        }
        guard case .object(let fields) = value else { throw APIError(.badRequest, "the body must be a JSON object") }
        return JSONBody(fields: fields)
    }

    /// Fails with a 400 naming every key not in `known`.
    public func rejectUnknown(_ known: Set<String>, what: String) throws(APIError) {
        let unknown = fields.keys.filter { !known.contains($0) }.sorted()
        guard unknown.isEmpty else {
            throw APIError(.badRequest, "unknown field\(unknown.count == 1 ? "" : "s") in \(what): \(unknown.joined(separator: ", ")); "
                + "known: \(known.sorted().joined(separator: ", "))")
        }
    }

    public func string(_ key: String) throws(APIError) -> String? {
        switch fields[key] {
        case nil, .null?: return nil
        case .string(let s)?: return s
        default: throw APIError(.badRequest, "'\(key)' must be a string")
        }
    }

    public func bool(_ key: String) throws(APIError) -> Bool? {
        switch fields[key] {
        case nil, .null?: return nil
        case .bool(let b)?: return b
        default: throw APIError(.badRequest, "'\(key)' must be true or false")
        }
    }

    public func int(_ key: String) throws(APIError) -> Int? {
        switch fields[key] {
        case nil, .null?: return nil
        case .number(let n)? where n.rounded() == n && abs(n) < 1e15: return Int(n)
        default: throw APIError(.badRequest, "'\(key)' must be an integer")
        }
    }

    public func double(_ key: String) throws(APIError) -> Double? {
        switch fields[key] {
        case nil, .null?: return nil
        case .number(let n)?: return n
        default: throw APIError(.badRequest, "'\(key)' must be a number")
        }
    }

    /// A duration given as seconds (number) or text (`90s`, `5m`).
    public func duration(_ key: String) throws(APIError) -> Double? {
        switch fields[key] {
        case nil, .null?: return nil
        case .number(let n)? where n > 0 && n <= DurationText.maximumSeconds: return n
        case .string(let s)?:
            if let seconds = DurationText.seconds(s), seconds > 0 { return seconds }
            throw APIError(.badRequest, "'\(key)' wants a duration such as 90s or 10m (got '\(s)')")
        default: throw APIError(.badRequest, "'\(key)' must be a positive number of seconds (at most \(DurationText.maximumText)) or a duration such as 90s")
        }
    }

    /// The most useful text of a JSON decoding error (Foundation hides the position in the underlying error).
    static func describe(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            if let underlying = context.underlyingError as NSError?,
               let detail = underlying.userInfo[NSDebugDescriptionErrorKey] as? String {
                return detail
            }
            return context.debugDescription
        }
        return "\(error)"
    }
}
