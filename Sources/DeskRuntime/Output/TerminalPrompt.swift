import DeskCore
import Foundation
import Synchronization

/// ``PersonPrompt`` on the controlling terminal: asks on stderr, reads a line from stdin.
public final class TerminalPrompt: PersonPrompt, Sendable {
    public init() {}

    /// One question at a time on the terminal.
    private let asking = Mutex(())

    public var isInteractive: Bool { isatty(0) == 1 && isatty(2) == 1 }

    public func confirm(_ question: String) -> Bool? {
        guard let answer = ask(question + " [y/N] ") else { return nil }
        return ["y", "yes"].contains(answer.trimmingCharacters(in: .whitespaces).lowercased())
    }

    public func ask(_ question: String) -> String? {
        guard isInteractive else { return nil }
        return asking.withLock { _ in
            FileHandle.standardError.write(Data(question.utf8))
            return readLine(strippingNewline: true)
        }
    }
}
