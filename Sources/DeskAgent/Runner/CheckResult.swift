import Foundation
import DeskCore

/// The verdict of one task check, with a name a person recognises and why it failed.
public struct CheckResult: Sendable, Hashable {
    /// `file_contains /tmp/out.txt "hello"`, `window class ~ /XTerm/`.
    public var name: String
    public var passed: Bool
    /// What was found instead (on failure) or a confirmation (on success).
    public var detail: String
    public var source: SourceLocation?

    public init(name: String, passed: Bool, detail: String, source: SourceLocation? = nil) {
        self.name = name
        self.passed = passed
        self.detail = detail
        self.source = source
    }

    /// The check as the trace records it.
    public var event: CheckEvent {
        CheckEvent(name: source.map { "\(name) (\($0))" } ?? name, passed: passed, detail: detail, time: Date())
    }
}

