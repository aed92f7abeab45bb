/// Asks the person at the terminal: a confirmation gate of the policy, or a model's `call_user` question.
public protocol PersonPrompt: AnyObject, Sendable {
    /// True when there is someone to ask (stdin and stderr are a terminal).
    var isInteractive: Bool { get }
    /// A yes/no question; nil when nobody can answer (no terminal, end of input).
    func confirm(_ question: String) -> Bool?
    /// A free-text question; nil when nobody can answer.
    func ask(_ question: String) -> String?
}
