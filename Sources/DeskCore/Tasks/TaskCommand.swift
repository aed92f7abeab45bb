/// A command from a task file: an argv list run directly, or a string run with `sh -c`.
public enum TaskCommand: Sendable, Hashable, Codable, CustomStringConvertible {
    case argv([TaskText])
    case shell(TaskText)

    /// The argv to execute (`["/bin/sh", "-c", text]` for a shell string), with references resolved.
    public var resolvedArguments: [String] {
        switch self {
        case .argv(let parts): parts.map(\.resolved)
        case .shell(let text): ["/bin/sh", "-c", text.resolved]
        }
    }

    /// True when any part came from a `${secret:…}` reference.
    public var containsSecret: Bool {
        switch self {
        case .argv(let parts): parts.contains(where: \.containsSecret)
        case .shell(let text): text.containsSecret
        }
    }

    /// The command as written (secrets stay as references), for logs.
    public var description: String {
        switch self {
        case .argv(let parts): parts.map { $0.template.contains(" ") ? "'\($0.template)'" : $0.template }.joined(separator: " ")
        case .shell(let text): "sh -c '\(text.template)'"
        }
    }
}
