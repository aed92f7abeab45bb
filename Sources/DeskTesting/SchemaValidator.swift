import Foundation

/// The subset of JSON Schema 2020-12 the project's schemas (docs/results.schema.json, docs/api.schema.json)
/// use: `$ref` to `#/$defs/…`, `type` (a name or a list of names), `enum`, `const`, `required`,
/// `properties`, `additionalProperties` (false or a schema), `items`, `minItems`, `maxItems`, `minimum`,
/// `maximum`, `pattern`, `anyOf`, `oneOf`, and `format: date-time` (ISO 8601). An unknown keyword is
/// reported, so a schema cannot silently outgrow the validator.
public struct SchemaValidator {
    public let root: [String: Any]
    static let known: Set<String> = ["$schema", "$id", "$defs", "$ref", "$comment", "title", "description", "type",
                                     "enum", "const", "required", "properties", "additionalProperties", "items",
                                     "minItems", "maxItems", "minimum", "maximum", "pattern", "format", "anyOf", "oneOf",
                                     "examples", "default"]

    public init(root: [String: Any]) { self.root = root }

    /// Reads a schema file.
    public init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path),
              let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: path])
        }
        root = object
    }

    /// Every violation of the root schema (empty when `value` is valid).
    public func validate(_ value: Any) -> [String] {
        var errors: [String] = []
        check(value, against: root, at: "$", errors: &errors)
        return errors
    }

    /// Every violation of `#/$defs/<name>`.
    public func validate(_ value: Any, definition name: String) -> [String] {
        var errors: [String] = []
        check(value, against: ["$ref": "#/$defs/\(name)"], at: "$", errors: &errors)
        return errors
    }

    /// Validates one JSON text (a line of output) against `#/$defs/<name>`.
    public func validate(json text: String, definition name: String) -> [String] {
        guard let value = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) else {
            return ["$: not JSON: \(text.prefix(200))"]
        }
        return validate(value, definition: name)
    }

    private func check(_ value: Any, against schema: [String: Any], at path: String, errors: inout [String]) {
        for key in schema.keys where !Self.known.contains(key) { errors.append("\(path): schema keyword \(key) not supported") }
        if let ref = schema["$ref"] as? String {
            let name = ref.replacingOccurrences(of: "#/$defs/", with: "")
            guard let defs = root["$defs"] as? [String: Any], let target = defs[name] as? [String: Any] else {
                errors.append("\(path): unresolved \(ref)")
                return
            }
            check(value, against: target, at: path, errors: &errors)
        }
        if let type = schema["type"] {
            let names = (type as? [String]) ?? [(type as? String) ?? ""]
            if !names.contains(where: { Self.matches(value, type: $0) }) {
                errors.append("\(path): expected \(names.joined(separator: " or ")), got \(value)")
                return
            }
        }
        if let options = schema["anyOf"] as? [[String: Any]] {
            let passing = options.filter { option in
                var sub: [String] = []
                check(value, against: option, at: path, errors: &sub)
                return sub.isEmpty
            }
            if passing.isEmpty { errors.append("\(path): matches none of anyOf") }
        }
        if let options = schema["oneOf"] as? [[String: Any]] {
            var failures: [String] = []
            let passing = options.filter { option in
                var sub: [String] = []
                check(value, against: option, at: path, errors: &sub)
                failures += sub
                return sub.isEmpty
            }
            if passing.count != 1 {
                errors.append("\(path): matches \(passing.count) of oneOf, not exactly one"
                              + (passing.isEmpty ? " (\(failures.prefix(4).joined(separator: "; ")))" : ""))
            }
        }
        if let options = schema["enum"] as? [Any], !options.contains(where: { Self.equal($0, value) }) {
            errors.append("\(path): \(value) is not one of \(options)")
        }
        if let constant = schema["const"], !Self.equal(constant, value) {
            errors.append("\(path): \(value) is not \(constant)")
        }
        if let number = Self.number(value) {
            if let min = schema["minimum"].flatMap(Self.number), number < min { errors.append("\(path): \(number) < \(min)") }
            if let max = schema["maximum"].flatMap(Self.number), number > max { errors.append("\(path): \(number) > \(max)") }
        }
        if let text = value as? String {
            if let pattern = schema["pattern"] as? String {
                let regex = try? NSRegularExpression(pattern: pattern)
                if regex?.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) == nil {
                    errors.append("\(path): '\(text)' does not match \(pattern)")
                }
            }
            if schema["format"] as? String == "date-time", !Self.isDateTime(text) {
                errors.append("\(path): '\(text)' is not an ISO 8601 date-time")
            }
        }
        if let object = value as? [String: Any] {
            for key in (schema["required"] as? [String]) ?? [] where object[key] == nil {
                errors.append("\(path): missing required \(key)")
            }
            let properties = (schema["properties"] as? [String: Any]) ?? [:]
            for (key, item) in object {
                if let sub = properties[key] as? [String: Any] {
                    check(item, against: sub, at: "\(path).\(key)", errors: &errors)
                } else if (schema["additionalProperties"] as? Bool) == false {
                    errors.append("\(path): unexpected property \(key)")
                } else if let extra = schema["additionalProperties"] as? [String: Any] {
                    check(item, against: extra, at: "\(path).\(key)", errors: &errors)
                }
            }
        }
        if let array = value as? [Any] {
            if let min = schema["minItems"] as? Int, array.count < min { errors.append("\(path): fewer than \(min) items") }
            if let max = schema["maxItems"] as? Int, array.count > max { errors.append("\(path): more than \(max) items") }
            if let items = schema["items"] as? [String: Any] {
                for (i, item) in array.enumerated() { check(item, against: items, at: "\(path)[\(i)]", errors: &errors) }
            }
        }
    }

    /// `2026-12-03T07:30:00Z` or with fractional seconds and/or an offset.
    static func isDateTime(_ text: String) -> Bool {
        let pattern = #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"#
        return text.range(of: pattern, options: .regularExpression) != nil
    }

    static func number(_ value: Any) -> Double? {
        if value is String { return nil }
        return (value as? NSNumber)?.doubleValue
    }

    static func matches(_ value: Any, type: String) -> Bool {
        switch type {
        case "object": return value is [String: Any]
        case "array": return value is [Any]
        case "string": return value is String
        case "boolean": return value is Bool
        case "number": return number(value) != nil
        case "integer": return number(value).map { $0 == $0.rounded() } ?? false
        case "null": return value is NSNull
        default: return false
        }
    }

    static func equal(_ a: Any, _ b: Any) -> Bool {
        if let x = a as? String, let y = b as? String { return x == y }
        if let x = number(a), let y = number(b) { return x == y }
        return false
    }
}
