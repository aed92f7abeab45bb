import DeskCore
import Foundation

/// ``PersonPrompt`` on the controlling terminal: asks on stderr, reads a line from stdin.
public final class TerminalPrompt: PersonPrompt, @unchecked Sendable {
    public init() {}

    private let lock = NSLock()

    public var isInteractive: Bool { isatty(0) == 1 && isatty(2) == 1 }

    public func confirm(_ question: String) -> Bool? {
        guard let answer = ask(question + " [y/N] ") else { return nil }
        return ["y", "yes"].contains(answer.trimmingCharacters(in: .whitespaces).lowercased())
    }

    public func ask(_ question: String) -> String? {
        guard isInteractive else { return nil }
        lock.lock()
        defer { lock.unlock() }
        FileHandle.standardError.write(Data(question.utf8))
        return readLine(strippingNewline: true)
    }
}
