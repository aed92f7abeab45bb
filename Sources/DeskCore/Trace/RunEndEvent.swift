import Foundation

/// The last event of a run: how it ended, and totals. A trace without one was interrupted.
public struct RunEndEvent: Sendable, Hashable, Codable {
    public static let type = "run_end"

    public var time: Date
    public var status: RunStatus
    public var exitCode: Int32
    public var reason: String?
    public var steps: Int
    public var durationS: Double
    public var promptTokens: Int?
    public var completionTokens: Int?
    /// The screen after the last action (`frames/final.png`), relative to the run folder.
    public var finalFrame: String?

    public init(time: Date, status: RunStatus, exitCode: Int32? = nil, reason: String? = nil, steps: Int,
                durationS: Double, promptTokens: Int? = nil, completionTokens: Int? = nil) {
        self.time = time
        self.status = status
        self.exitCode = exitCode ?? status.exitStatus.rawValue
        self.reason = reason
        self.steps = steps
        self.durationS = durationS
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
    }

    enum CodingKeys: String, CodingKey {
        case time, status, exitCode = "exit_code", reason, steps, durationS = "duration_s"
        case promptTokens = "prompt_tokens", completionTokens = "completion_tokens", finalFrame = "final_frame"
    }
}
