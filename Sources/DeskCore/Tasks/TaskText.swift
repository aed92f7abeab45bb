/// Text from a task file after `${env:NAME}` / `${secret:NAME}` substitution, remembering how it was written.
///
/// Only ``template`` is encoded (traces, job records), so a secret value never leaves the process through
/// Codable; decoding gives a text whose resolved value is its template.
public struct TaskText: Sendable, Hashable, Codable, CustomStringConvertible {
    /// As written in the file (`pass: ${secret:DB}`).
    public var template: String
    /// With every reference replaced: what is typed or run.
    public var resolved: String
    /// True when a `${secret:…}` reference was replaced: log ``template``, never ``resolved``.
    public var containsSecret: Bool

    public init(template: String, resolved: String, containsSecret: Bool = false) {
        self.template = template
        self.resolved = resolved
        self.containsSecret = containsSecret
    }

    /// A text with no references.
    public init(_ literal: String) {
        self.init(template: literal, resolved: literal)
    }

    /// The safe form for logs: the template when a secret is involved, else the resolved text.
    public var description: String { containsSecret ? template : resolved }

    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(template)
    }
}
