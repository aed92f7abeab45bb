import Foundation
import Synchronization

/// A regular expression from a policy file, compiled once when the policy is built (or, for the built-in
/// policies' patterns, at their first use).
///
/// ICU syntax (`NSRegularExpression`). Policy patterns are case-insensitive because they match window
/// classes, titles and normalised text where case carries no meaning (`(?-i)` turns that off); task
/// checks use case-sensitive ones. Equal and hashed by pattern text and case mode; encoded as the pattern
/// string (decoding gives the case-insensitive form).
public struct PolicyRegex: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The pattern as written.
    public let pattern: String
    /// True when letters match regardless of case.
    public let caseInsensitive: Bool
    private let compiled: CompiledPattern

    /// Compiles `pattern`.
    ///
    /// - Throws: ``PolicyError`` saying what is wrong with the pattern.
    public init(_ pattern: String, caseInsensitive: Bool = true) throws(PolicyError) {
        guard !pattern.isEmpty else { throw PolicyError("empty regular expression") }
        do {
            compiled = CompiledPattern(try NSRegularExpression(pattern: pattern, options: Self.options(caseInsensitive)))
        } catch {
            throw PolicyError("bad regular expression '\(pattern)': \(Self.explain(pattern))")
        }
        self.pattern = pattern
        self.caseInsensitive = caseInsensitive
    }

    /// A pattern known to compile (the built-in policies', which their tests compile), compiled when first
    /// matched: an `act` command under the permissive policy never uses its redaction patterns, and the first
    /// ICU pattern of a process costs about a millisecond of ICU set-up.
    public init(known pattern: String, caseInsensitive: Bool = true) {
        self.pattern = pattern
        self.caseInsensitive = caseInsensitive
        compiled = CompiledPattern(nil)
    }

    /// The compiled expression (compiling it now for a pattern made with ``init(known:caseInsensitive:)``).
    private var regex: NSRegularExpression {
        compiled.expression.withLock { expression in
            if let expression { return expression }
            do {
                let made = try NSRegularExpression(pattern: pattern, options: Self.options(caseInsensitive))
                expression = made
                return made
            } catch {
                preconditionFailure("the built-in pattern '\(pattern)' does not compile: \(error)")
            }
        }
    }

    private static func options(_ caseInsensitive: Bool) -> NSRegularExpression.Options {
        caseInsensitive ? [.caseInsensitive, .anchorsMatchLines] : [.anchorsMatchLines]
    }

    public var description: String { pattern }

    public static func == (lhs: PolicyRegex, rhs: PolicyRegex) -> Bool {
        lhs.pattern == rhs.pattern && lhs.caseInsensitive == rhs.caseInsensitive
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(pattern)
        hasher.combine(caseInsensitive)
    }

    /// True when the pattern matches anywhere in `text`.
    public func matches(_ text: String) -> Bool {
        regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// True when a match ends after the first `prefixUTF16` UTF-16 units of `text`: it involves new text
    /// appended to an already-checked prefix.
    public func matches(_ text: String, endingAfterUTF16Offset prefixUTF16: Int) -> Bool {
        var found = false
        regex.enumerateMatches(in: text, range: NSRange(text.startIndex..., in: text)) { match, _, stop in
            if let match, NSMaxRange(match.range) > prefixUTF16 || (match.range.length == 0 && match.range.location >= prefixUTF16) {
                found = true
                stop.pointee = true
            }
        }
        return found
    }

    /// `text` with every match replaced by `replacement` taken literally.
    public func replacingMatches(in text: String, with replacement: String) -> String {
        regex.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text),
                                       withTemplate: NSRegularExpression.escapedTemplate(for: replacement))
    }

    /// Why ICU refused the pattern. Foundation's error says only "the value is invalid", so ask Swift's
    /// regex parser, whose messages name the problem; the two syntaxes agree on the common mistakes.
    private static func explain(_ pattern: String) -> String {
        do {
            _ = try Regex(pattern)
            return "not accepted by the ICU regular expression syntax"
        } catch {
            return String(describing: error)
        }
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(pattern)
    }
}

/// The compiled expression of a ``PolicyRegex``, shared by its copies; nil until a known pattern is first used.
private final class CompiledPattern: Sendable {
    let expression: Mutex<NSRegularExpression?>

    init(_ expression: NSRegularExpression?) { self.expression = Mutex(expression) }
}
