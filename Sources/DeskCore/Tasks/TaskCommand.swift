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

    /// The program this command starts, when that can be told without running a shell: an argv list's first
    /// element; a shell string's first word after `NAME=value` assignments and `exec`/`env`/`setsid`/`nohup`
    /// (nil when that word is another shell builtin or keyword, or holds quoting, expansions or operators).
    public var programName: String? {
        switch self {
        case .argv(let parts):
            return parts.first?.resolved
        case .shell(let text):
            return Self.firstProgram(inShell: text.resolved)
        }
    }

    static let shellWords: Set<String> = [
        "cd", "export", "set", "unset", "if", "then", "for", "while", "until", "case", "do", "done", "fi", "test", "[",
        "[[", "echo", "printf", "true", "false", ":", ".", "source", "eval", "trap", "wait", "command", "read",
        "shift", "exit", "return", "local", "ulimit", "umask", "kill", "type", "!", "{", "(", "times", "alias",
    ]
    static let prefixWords: Set<String> = ["exec", "env", "setsid", "nohup"]

    static func isAssignment(_ word: String) -> Bool {
        guard let equals = word.firstIndex(of: "="), equals != word.startIndex else { return false }
        let name = word[..<equals]
        return name.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) } && !(name.first?.isNumber ?? true)
    }

    static func firstProgram(inShell text: String) -> String? {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init)
        for word in words {
            if isAssignment(word) { continue }  // NAME=value
            if prefixWords.contains(word) { continue }
            if word.hasPrefix("-") { continue }  // an option of env/setsid (env -i, setsid -f)
            if shellWords.contains(word) { return nil }
            let special: Set<Character> = ["$", "`", "'", "\"", "\\", "*", "?", "(", ")", "{", "}", ";", "|", "&", "<", ">", "~", "[", "#"]
            if word.contains(where: { special.contains($0) }) { return nil }
            return word
        }
        return nil
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
