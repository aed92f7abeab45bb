import DeskCore
import Foundation
import Yams

/// A node of a composed YAML document with the file it came from, so every accessor can fail with
/// `file:line:column: what is wrong` pointing at the node.
struct YAMLNode {
    let node: Node
    let file: String
    /// The mark of the nearest enclosing node that has one (libYAML marks every node; this is a fallback).
    let fallbackMark: Mark?
    /// True for the built-in policies: their patterns are known to compile and are compiled at first use.
    let patternsKnown: Bool

    init(_ node: Node, file: String, fallbackMark: Mark? = nil, patternsKnown: Bool = false) {
        self.node = node
        self.file = file
        self.fallbackMark = node.mark ?? fallbackMark
        self.patternsKnown = patternsKnown
    }

    /// Parses `yaml` into its single document's root.
    static func root(yaml: String, file: String, patternsKnown: Bool = false) throws(ConfigError) -> YAMLNode {
        // The built-in policies (`patternsKnown`) are deskpilot's own text: only what a user hands in can be a bomb.
        if !patternsKnown { try YAMLAliasBudget.check(yaml: yaml, file: file) }
        let composed: Node?
        do {
            // No tag resolution: every accessor reads the scalar text itself, and Yams' default resolver
            // compiles seven ICU patterns (about 1.5 ms of every command that reads a policy or a task).
            composed = try Yams.compose(yaml: yaml, .basic)
        } catch let error as YamlError {
            throw Self.translate(error, file: file)
        } catch {
            throw ConfigError(file: file, location: SourceLocation(file: file, line: 1, column: 1),
                              message: "cannot read YAML: \(error)")
        }
        guard let composed else {
            throw ConfigError(file: file, location: SourceLocation(file: file, line: 1, column: 1), message: "the file is empty")
        }
        return YAMLNode(composed, file: file, patternsKnown: patternsKnown)
    }

    /// Turns a Yams syntax error into one line with its position.
    static func translate(_ error: YamlError, file: String) -> ConfigError {
        func at(_ mark: Mark, _ message: String) -> ConfigError {
            at(line: mark.line, column: mark.column, message)
        }
        func at(line: Int, column: Int, _ message: String) -> ConfigError {
            ConfigError(file: file, location: SourceLocation(file: file, line: line, column: column), message: message)
        }
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            var message = "YAML syntax: \(problem)"
            if let context { message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))" }
            return at(mark, message)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return at(context.mark, "duplicate key\(duplicates.count > 1 ? "s" : "") \(duplicates.sorted().map { "'\($0)'" }.joined(separator: ", ")) in one mapping")
        case .reader(let problem, let offset, _, let yaml):
            var line = 1, column = 1
            if let offset {
                for character in yaml.prefix(offset) {
                    if character == "\n" { line += 1; column = 1 } else { column += 1 }
                }
            }
            return at(line: line, column: column, "cannot read the text: \(problem)")
        default:
            return ConfigError(file: file, location: SourceLocation(file: file, line: 1, column: 1),
                               message: "cannot read YAML: \(error)")
        }
    }

    var location: SourceLocation {
        SourceLocation(file: file, line: fallbackMark?.line ?? 1, column: fallbackMark?.column ?? 1)
    }

    /// An error pointing at this node.
    func error(_ message: String) -> ConfigError {
        ConfigError(file: file, location: location, message: message)
    }

    private func child(_ node: Node) -> YAMLNode {
        YAMLNode(node, file: file, fallbackMark: fallbackMark, patternsKnown: patternsKnown)
    }

    /// What the node is, for "expected X, found Y" messages.
    var kindName: String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar:
            if isNull { return "nothing (null)" }
            return "'\(node.string ?? "")'"
        }
    }

    var isNull: Bool {
        if case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any {
            return node.null != nil
        }
        return false
    }

    var isScalar: Bool { if case .scalar = node { !isNull } else { false } }
    var isSequence: Bool { if case .sequence = node { true } else { false } }
    var isMapping: Bool { if case .mapping = node { true } else { false } }

    /// The node as a mapping whose keys must all be in `allowed`.
    func mapping(_ what: String, allowed: [String]) throws(ConfigError) -> YAMLMapping {
        guard case .mapping(let mapping) = node else {
            throw error("\(what) must be a mapping, found \(kindName)")
        }
        var entries: [(key: String, keyNode: YAMLNode, value: YAMLNode)] = []
        for (key, value) in mapping {
            let keyNode = child(key)
            guard case .scalar = key, let name = key.string else {
                throw keyNode.error("keys in \(what) must be plain words, found \(keyNode.kindName)")
            }
            guard allowed.contains(name) else {
                var message = "unknown key '\(name)' in \(what)"
                if let suggestion = Spelling.closest(to: name, in: allowed) {
                    message += " (did you mean '\(suggestion)'?)"
                } else {
                    message += " (known keys: \(allowed.joined(separator: ", ")))"
                }
                throw keyNode.error(message)
            }
            entries.append((name, keyNode, child(value)))
        }
        return YAMLMapping(entries: entries, node: self, what: what)
    }

    /// The node as a list.
    func sequence(_ what: String) throws(ConfigError) -> [YAMLNode] {
        guard case .sequence(let sequence) = node else {
            throw error("\(what) must be a list, found \(kindName)")
        }
        return sequence.map(child)
    }

    /// The node as a list, or a single item taken as a one-item list.
    func listOrSingle() -> [YAMLNode] {
        if case .sequence(let sequence) = node { return sequence.map(child) }
        return [self]
    }

    /// The node as text (any scalar but null).
    func string(_ what: String) throws(ConfigError) -> String {
        guard isScalar, let text = node.string else {
            throw error("\(what) must be text, found \(kindName)")
        }
        return text
    }

    /// The node as non-empty text.
    func nonEmptyString(_ what: String) throws(ConfigError) -> String {
        let text = try string(what)
        guard !text.isEmpty else { throw error("\(what) must not be empty") }
        return text
    }

    /// The node as a whole number in `range`.
    func int(_ what: String, in range: ClosedRange<Int> = Int.min...Int.max) throws(ConfigError) -> Int {
        guard isScalar, let value = node.int, node.string.map({ !$0.contains(".") }) ?? false else {
            throw error("\(what) must be a whole number, found \(kindName)")
        }
        guard range.contains(value) else {
            if range.upperBound == Int.max { throw error("\(what) must be at least \(range.lowerBound), found \(value)") }
            throw error("\(what) must be between \(range.lowerBound) and \(range.upperBound), found \(value)")
        }
        return value
    }

    /// The node as `true` or `false`.
    func bool(_ what: String) throws(ConfigError) -> Bool {
        guard isScalar, let text = node.string?.lowercased(), ["true", "false"].contains(text) else {
            throw error("\(what) must be true or false, found \(kindName)")
        }
        return text == "true"
    }

    /// The node as a duration (`500ms`, `2s`, `5m`, `1h`), in seconds.
    func duration(_ what: String) throws(ConfigError) -> Double {
        guard isScalar, let text = node.string else {
            throw error("\(what) must be a duration like 500ms, 2s or 5m, found \(kindName)")
        }
        if DurationText.exceedsMaximum(text) {
            throw error("\(what) must be at most \(DurationText.maximumText), found '\(text)'")
        }
        guard let seconds = DurationText.seconds(text) else {
            throw error("\(what) must be a duration like 500ms, 2s or 5m, found '\(text)' (a unit is required)")
        }
        return seconds
    }

    /// The node as `[x, y]`.
    func point(_ what: String) throws(ConfigError) -> Point {
        let items = try sequence(what)
        guard items.count == 2 else { throw error("\(what) must be [x, y], found \(items.count) numbers") }
        return Point(x: try items[0].int("\(what) x"), y: try items[1].int("\(what) y"))
    }

    /// The node as a rectangle: `[x, y, width, height]` or `{x:, y:, width:, height:}`.
    func rect(_ what: String) throws(ConfigError) -> Rect {
        let rect: Rect
        if isSequence {
            let items = try sequence(what)
            guard items.count == 4 else {
                throw error("\(what) must be [x, y, width, height], found \(items.count) numbers")
            }
            rect = Rect(x: try items[0].int("\(what) x"), y: try items[1].int("\(what) y"),
                        width: try items[2].int("\(what) width"), height: try items[3].int("\(what) height"))
        } else {
            let map = try mapping(what, allowed: ["x", "y", "width", "height"])
            rect = Rect(x: try map.required("x").int("x"), y: try map.required("y").int("y"),
                        width: try map.required("width").int("width"), height: try map.required("height").int("height"))
        }
        guard rect.width > 0, rect.height > 0 else {
            throw error("\(what) must have a positive width and height, found \(rect.width)x\(rect.height)")
        }
        return rect
    }

    /// The node compiled as a regular expression.
    func regex(_ what: String, caseInsensitive: Bool = true) throws(ConfigError) -> PolicyRegex {
        let text = try string(what)
        if patternsKnown { return PolicyRegex(known: text, caseInsensitive: caseInsensitive) }
        do {
            return try PolicyRegex(text, caseInsensitive: caseInsensitive)
        } catch {
            throw self.error("\(what): \(error.message)")
        }
    }

    /// The node as a key chord.
    func chord(_ what: String) throws(ConfigError) -> KeyChord {
        let text = try string(what)
        do {
            return try KeyChord.parse(text)
        } catch {
            throw self.error("\(what): \(error.description)")
        }
    }

    /// The node as a key chord pattern (wildcards allowed).
    func chordPattern(_ what: String) throws(ConfigError) -> KeyChordPattern {
        let text = try string(what)
        do {
            return try KeyChordPattern(text)
        } catch {
            throw self.error("\(what): \(error.description)")
        }
    }

    /// The node as one of `choices` (exact spelling).
    func choice<T>(_ what: String, _ choices: [(String, T)]) throws(ConfigError) -> T {
        let text = try string(what)
        if let match = choices.first(where: { $0.0 == text }) { return match.1 }
        var message = "\(what) must be one of \(choices.map(\.0).joined(separator: ", ")), found '\(text)'"
        if let suggestion = Spelling.closest(to: text, in: choices.map(\.0)) { message += " (did you mean '\(suggestion)'?)" }
        throw error(message)
    }
}
