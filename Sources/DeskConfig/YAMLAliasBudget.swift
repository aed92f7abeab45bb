import DeskCore
import Yams

/// Refuses YAML whose aliases would expand it beyond a small budget, before anything expands them.
///
/// Yams resolves an alias to the anchored node itself, so composing is cheap, but everything that walks,
/// hashes or compares the tree afterwards (Yams' own duplicate-key check hashes keys) pays for the
/// expansion: a 600-byte "billion laughs" document of nested anchors walks 10⁹ nodes. So the check runs
/// on a copy of the text whose aliases are replaced by plain placeholders (composing it expands nothing),
/// then sizes the document as if every alias were copied out, with each anchor's size computed once.
enum YAMLAliasBudget {
    /// More aliases than this and the document is refused (task and policy files use a handful).
    static let maximumAliases = 256
    /// The most nodes plus scalar characters the document may hold with every alias copied out.
    static let maximumExpandedSize = 1_000_000

    /// Throws when `yaml` uses too many aliases or would expand past ``maximumExpandedSize``.
    static func check(yaml: String, file: String) throws(ConfigError) {
        let scan = AliasScan(yaml)
        guard !scan.aliases.isEmpty else { return }
        func error(_ alias: AliasScan.Alias, _ message: String) -> ConfigError {
            ConfigError(file: file, location: SourceLocation(file: file, line: alias.line, column: alias.column),
                        message: message)
        }
        if scan.aliases.count > maximumAliases {
            throw error(scan.aliases[maximumAliases],
                        "YAML uses more than \(maximumAliases) aliases (*name); write the values out instead")
        }
        // Placeholders compose without expanding. A syntax error here is the document's own (placeholders
        // are plain scalars where aliases stood), so it is reported as the real parse would.
        // The parser stays alive while the tree is sized: Yams' nodes hold their anchors weakly.
        let parser: Parser
        let composed: Node
        do {
            parser = try Parser(yaml: scan.placeholderText)
            guard let root = try parser.singleRoot() else { return }
            composed = root
        } catch let yamlError as YamlError {
            throw YAMLNode.translate(yamlError, file: file)
        } catch {
            throw ConfigError(file: file, location: SourceLocation(file: file, line: 1, column: 1),
                              message: "cannot read YAML: \(error)")
        }
        var sizer = ExpansionSizer(placeholders: scan.placeholders, limit: maximumExpandedSize)
        let size = withExtendedLifetime(parser) { sizer.size(of: composed) }
        if size > maximumExpandedSize || sizer.total > maximumExpandedSize {
            let culprit = sizer.firstOverLimit.flatMap { index in scan.aliases.indices.contains(index) ? scan.aliases[index] : nil }
                ?? scan.aliases[0]
            throw error(culprit, "YAML aliases would expand this document to more than \(maximumExpandedSize) nodes and characters (nested anchors like a 'billion laughs' are refused)")
        }
    }

    /// Sizes a composed tree whose aliases are placeholder scalars: anchored nodes are sized once and
    /// remembered, a placeholder costs what its anchor costs. Stops counting once past the limit.
    private struct ExpansionSizer {
        let placeholders: [String: (anchor: String, index: Int)]
        let limit: Int
        var anchorSizes: [String: Int] = [:]
        var firstOverLimit: Int?
        var total = 0

        init(placeholders: [String: (anchor: String, index: Int)], limit: Int) {
            self.placeholders = placeholders
            self.limit = limit
        }

        mutating func size(of node: Node) -> Int {
            let own: Int
            switch node {
            case .scalar(let scalar):
                if let alias = placeholders[scalar.string] {
                    // An alias to an anchor not (yet) defined is the real parser's error to report.
                    own = anchorSizes[alias.anchor] ?? 1
                    total += own
                    if total > limit, firstOverLimit == nil { firstOverLimit = alias.index }
                    return own
                }
                own = 1 + scalar.string.utf8.count
                total += own
            case .mapping(let mapping):
                total += 1
                var sum = 1
                for (key, value) in mapping where total <= limit {
                    sum += size(of: key) + size(of: value)
                }
                own = sum
            case .sequence(let sequence):
                total += 1
                var sum = 1
                for item in sequence where total <= limit { sum += size(of: item) }
                own = sum
            case .alias:
                own = 1
                total += 1
            }
            if let anchor = node.anchor?.rawValue { anchorSizes[anchor] = own }
            return own
        }
    }

    /// The aliases of a YAML text, found by a small scanner that knows where a node can start (quoted
    /// scalars, comments and block scalars are skipped), and the text with each alias replaced by a
    /// unique plain scalar. It errs towards seeing an alias: a false one only costs budget.
    private struct AliasScan {
        struct Alias {
            let anchor: String
            let line: Int
            let column: Int
        }

        var aliases: [Alias] = []
        var placeholders: [String: (anchor: String, index: Int)] = [:]
        var placeholderText = ""

        init(_ text: String) {
            let scalars = Array(text.unicodeScalars)
            var output = String.UnicodeScalarView()
            var index = 0
            var line = 1, lineStart = 0
            // True where a new node may begin: line start, after `- `, `: `, `? `, `[`, `{`, `,`.
            var nodeStart = true
            var blockIndent: Int? = nil
            var currentIndent = 0
            let nonce = "deskpilot-alias-\(UInt32.random(in: 0...UInt32.max))"

            func isBlank(_ s: Unicode.Scalar) -> Bool { s == " " || s == "\t" }
            func isAnchorCharacter(_ s: Unicode.Scalar) -> Bool {
                !(isBlank(s) || s == "\n" || s == "\r" || s == "," || s == "[" || s == "]" || s == "{" || s == "}")
            }

            while index < scalars.count {
                let c = scalars[index]
                if c == "\n" {
                    output.append(c)
                    index += 1
                    line += 1
                    lineStart = index
                    nodeStart = true
                    // Inside a block scalar, lines indented deeper than its header (or blank) are content.
                    var indent = 0
                    while index + indent < scalars.count, scalars[index + indent] == " " { indent += 1 }
                    let next = index + indent < scalars.count ? scalars[index + indent] : "\n"
                    if let header = blockIndent {
                        if next == "\n" || next == "\r" || indent > header {
                            let end = scalars[index...].firstIndex(of: "\n") ?? scalars.count
                            output.append(contentsOf: scalars[index..<end])
                            index = end
                            continue
                        }
                        blockIndent = nil
                    }
                    currentIndent = indent
                    continue
                }
                if isBlank(c) {
                    output.append(c)
                    index += 1
                    continue
                }
                if c == "#" && (index == lineStart || isBlank(scalars[index - 1])) {
                    let end = scalars[index...].firstIndex(of: "\n") ?? scalars.count
                    output.append(contentsOf: scalars[index..<end])
                    index = end
                    continue
                }
                if nodeStart && (c == "'" || c == "\"") {
                    var end = index + 1
                    while end < scalars.count {
                        if c == "\"" && scalars[end] == "\\" { end += 2; continue }
                        if scalars[end] == c {
                            if c == "'" && end + 1 < scalars.count && scalars[end + 1] == "'" { end += 2; continue }
                            break
                        }
                        if scalars[end] == "\n" { line += 1; lineStart = end + 1 }
                        end += 1
                    }
                    end = min(end + 1, scalars.count)
                    output.append(contentsOf: scalars[index..<end])
                    index = end
                    nodeStart = false
                    continue
                }
                if nodeStart && (c == "|" || c == ">") {
                    blockIndent = currentIndent
                    output.append(c)
                    index += 1
                    nodeStart = false
                    continue
                }
                if nodeStart && c == "*" {
                    var end = index + 1
                    while end < scalars.count, isAnchorCharacter(scalars[end]) { end += 1 }
                    var name = String(String.UnicodeScalarView(scalars[(index + 1)..<end]))
                    // `*a: 1` — the `:` ends a key, not the name (as libyaml reads it when followed by a blank).
                    if name.hasSuffix(":"), end >= scalars.count || isBlank(scalars[end]) || scalars[end] == "\n" {
                        name.removeLast()
                        end -= 1
                    }
                    if !name.isEmpty {
                        let placeholder = "\(nonce)-\(aliases.count)"
                        placeholders[placeholder] = (name, aliases.count)
                        aliases.append(Alias(anchor: name, line: line, column: index - lineStart + 1))
                        output.append(contentsOf: placeholder.unicodeScalars)
                        index = end
                        nodeStart = false
                        continue
                    }
                }
                output.append(c)
                index += 1
                let followedByBlank = index >= scalars.count || isBlank(scalars[index]) || scalars[index] == "\n"
                if c == "[" || c == "{" || c == "," {
                    nodeStart = true
                } else if (c == "-" || c == ":" || c == "?") && followedByBlank {
                    nodeStart = true
                } else if c == "&" || c == "!" {
                    // An anchor or a tag before the node: the node starts after its name.
                    while index < scalars.count, isAnchorCharacter(scalars[index]) {
                        output.append(scalars[index])
                        index += 1
                    }
                    nodeStart = true
                } else {
                    nodeStart = false
                }
            }
            placeholderText = String(output)
        }
    }
}
