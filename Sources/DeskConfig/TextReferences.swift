import DeskCore

/// Substitutes `${env:NAME}` and `${secret:NAME}` in task-file text at load time.
///
/// Done at load time so a missing variable is a `file:line:column` error before anything runs.
/// `${secret:NAME}` reads `DESKPILOT_SECRET_NAME`; its value is collected for redaction. `$${` writes a
/// literal `${`. Any other `${…}` is an error, so a typo is not typed verbatim.
struct TextReferences {
    let environment: [String: String]
    /// Secret values substituted so far (for ``TaskFile/secrets``).
    private(set) var secrets: [String] = []

    init(environment: [String: String]) {
        self.environment = environment
    }

    /// The text of `node` with references replaced; `allowSecrets` is false where the text reaches a model.
    mutating func resolve(_ node: YAMLNode, _ what: String, allowSecrets: Bool = true) throws(ConfigError) -> TaskText {
        try resolve(try node.string(what), at: node, what, allowSecrets: allowSecrets)
    }

    mutating func resolve(_ template: String, at node: YAMLNode, _ what: String, allowSecrets: Bool = true) throws(ConfigError) -> TaskText {
        guard template.contains("${") else { return TaskText(template) }
        var result = ""
        var containsSecret = false
        var rest = Substring(template)
        while let start = rest.range(of: "${") {
            if start.lowerBound > rest.startIndex, rest[rest.index(before: start.lowerBound)] == "$" {
                // `$${` is an escaped literal `${`.
                result += rest[rest.startIndex..<rest.index(before: start.lowerBound)] + "${"
                rest = rest[start.upperBound...]
                continue
            }
            result += rest[rest.startIndex..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                throw node.error("\(what): '${' without a closing '}' (write '$${' for a literal '${')")
            }
            let reference = String(rest[start.upperBound..<end])
            let parts = reference.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, ["env", "secret"].contains(parts[0]), Self.isName(parts[1]) else {
                throw node.error("\(what): unknown reference '${\(reference)}' (use ${env:NAME} or ${secret:NAME})")
            }
            if parts[0] == "env" {
                guard let value = environment[parts[1]] else {
                    throw node.error("\(what): environment variable \(parts[1]) is not set (referenced as ${env:\(parts[1])})")
                }
                result += value
            } else {
                guard allowSecrets else {
                    throw node.error("\(what): ${secret:\(parts[1])} is not allowed here: this text is sent to the model")
                }
                let variable = "DESKPILOT_SECRET_\(parts[1])"
                guard let value = environment[variable] else {
                    throw node.error("\(what): secret \(parts[1]) is not set (set the environment variable \(variable))")
                }
                result += value
                containsSecret = true
                if !value.isEmpty, !secrets.contains(value) { secrets.append(value) }
            }
            rest = rest[rest.index(after: end)...]
        }
        result += rest
        return TaskText(template: template, resolved: result, containsSecret: containsSecret)
    }

    private static func isName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else { return false }
        return text.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }
}
