import Foundation

/// Replaces secrets and policy `redact` matches with `[redacted]` in text bound for traces and logs.
///
/// Secret values (from `${secret:NAME}`) are replaced literally, longest first so a secret that contains
/// another is not half-replaced; then each pattern is applied. Empty secrets are ignored (replacing the
/// empty string would garble everything).
public struct Redactor: Sendable, Hashable {
    /// What replaces each redacted span.
    public static let placeholder = "[redacted]"

    /// Patterns whose matches are redacted.
    public private(set) var patterns: [PolicyRegex]
    /// Literal values that are always redacted, longest first.
    public private(set) var secrets: [String]

    public init(patterns: [PolicyRegex] = [], secrets: [String] = []) {
        self.patterns = patterns
        self.secrets = []
        self = adding(secrets: secrets)
    }

    /// A redactor that also hides `more` secret values.
    public func adding(secrets more: [String]) -> Redactor {
        var copy = self
        let merged = Set(copy.secrets).union(more.filter { !$0.isEmpty })
        copy.secrets = merged.sorted { ($0.count, $0) > ($1.count, $1) }
        return copy
    }

    /// `text` with every secret and pattern match replaced by ``placeholder``.
    public func redact(_ text: String) -> String {
        var result = text
        for secret in secrets where result.contains(secret) {
            result = result.replacingOccurrences(of: secret, with: Self.placeholder)
        }
        for pattern in patterns {
            result = pattern.replacingMatches(in: result, with: Self.placeholder)
        }
        return result
    }

    /// True when ``redact(_:)`` would change `text`.
    public func wouldRedact(_ text: String) -> Bool {
        secrets.contains { text.contains($0) } || patterns.contains { $0.matches(text) }
    }
}
