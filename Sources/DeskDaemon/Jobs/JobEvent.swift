import DeskCore
import Foundation

/// One entry of a job's live event stream (`GET /jobs/{id}/events`, as Server-Sent Events).
public struct JobEvent: Sendable, Hashable, Codable {
    /// What happened.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// The job's state changed (``state``, ``reason``).
        case state
        /// A step ended (``step``).
        case step
        /// A line that is not a step: a setup command, a check result.
        case message
        /// The job waits for an answer (``question``; ``state`` says which kind).
        case question
        /// The job ended (``state``, ``exitCode``, ``reason``); always the last event.
        case end
    }

    /// 1-based position in the job's stream (the SSE `id`).
    public var seq: Int
    public var kind: Kind
    public var job: String
    public var time: Date
    public var state: JobState?
    public var step: StepOutcome?
    public var text: String?
    public var question: String?
    public var reason: String?
    public var exitCode: Int32?

    public init(seq: Int, kind: Kind, job: String, time: Date = Date(), state: JobState? = nil, step: StepOutcome? = nil,
                text: String? = nil, question: String? = nil, reason: String? = nil, exitCode: Int32? = nil) {
        self.seq = seq
        self.kind = kind
        self.job = job
        self.time = time
        self.state = state
        self.step = step
        self.text = text
        self.question = question
        self.reason = reason
        self.exitCode = exitCode
    }

    enum CodingKeys: String, CodingKey {
        case seq, kind, job, time, state, step, text, question, reason
        case exitCode = "exit_code"
    }

    /// The event as one Server-Sent Events message (`id`, `event`, one `data` line of JSON).
    public var sse: [UInt8] {
        let data = (try? DaemonJSON.encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return [UInt8]("id: \(seq)\nevent: \(kind.rawValue)\ndata: \(data)\n\n".utf8)
    }

    /// A one-line human rendering (what `deskpilot submit --wait` prints).
    public var line: String {
        switch kind {
        case .state: return "[\(job)] \(state?.rawValue ?? "?")" + (reason.map { ": \($0)" } ?? "")
        case .step: return "[\(job)] " + (step?.line ?? "step")
        case .message: return "[\(job)] " + (text ?? "")
        case .question:
            let what = state == .awaitingConfirmation ? "confirm" : "reply"
            return "[\(job)] waiting for an answer: \(question ?? "") (deskpilot \(what) \(job) …)"
        case .end:
            return "[\(job)] \(state?.rawValue ?? "ended") (exit \(exitCode ?? 0))" + (reason.map { ": \($0)" } ?? "")
        }
    }
}
