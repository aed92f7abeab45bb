import DeskCore
import DeskModels
import Foundation

/// Decides whether a provider's pending safety checks (OpenAI `pending_safety_checks`) may be acknowledged.
///
/// Only a person can: the one at the terminal (or the daemon's `confirm`, through the same prompt), or the
/// person who started the run with `--acknowledge-safety-checks`. `--yes` approves policy confirmations,
/// never these. Without a person the call is refused and the run ends.
public struct SafetyCheckGate: Sendable {
    /// `--acknowledge-safety-checks`.
    public var acknowledgeByFlag: Bool
    public var prompt: (any PersonPrompt)?

    public init(acknowledgeByFlag: Bool, prompt: (any PersonPrompt)?) {
        self.acknowledgeByFlag = acknowledgeByFlag
        self.prompt = prompt
    }

    /// Who acknowledged, or nil when nobody did.
    public enum Acknowledger: String, Sendable {
        case flag = "--acknowledge-safety-checks"
        case person = "person"
    }

    /// The decision for `checks` before running `action` (one line describing the call).
    public func judge(_ checks: [SafetyCheck], action: String) -> (acknowledged: Bool, by: Acknowledger?, note: String) {
        if acknowledgeByFlag { return (true, .flag, "acknowledged by --acknowledge-safety-checks") }
        let list = checks.map { c in [c.code, c.message].compactMap { $0 }.joined(separator: ": ") }.joined(separator: "; ")
        guard let prompt, prompt.isInteractive else {
            return (false, nil, "no person to acknowledge it (no terminal; a person may pass --acknowledge-safety-checks)")
        }
        let question = "deskpilot: the model's provider flags \(action): \(TraceText.oneLine(list, limit: 300)). Go ahead?"
        switch prompt.confirm(question) {
        case true?: return (true, .person, "acknowledged by a person")
        case false?: return (false, nil, "refused by a person")
        case nil: return (false, nil, "no person answered")
        }
    }
}
