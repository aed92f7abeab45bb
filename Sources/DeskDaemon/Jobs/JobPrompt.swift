import DeskCore

/// The daemon's "person at the terminal": a confirmation gate or a `call_user` question parks the job
/// (awaiting_confirmation, awaiting_user) until `POST /jobs/{id}/confirm` or `/reply` answers, a stop is
/// requested, or the timeout passes (then nobody answered: the gate denies, `call_user` ends the job).
final class JobPrompt: PersonPrompt, Sendable {
    let job: Job
    let confirmTimeout: Double
    let replyTimeout: Double

    init(job: Job, confirmTimeout: Double, replyTimeout: Double) {
        self.job = job
        self.confirmTimeout = confirmTimeout
        self.replyTimeout = replyTimeout
    }

    var isInteractive: Bool { true }

    func confirm(_ question: String) -> Bool? {
        guard case .approve(let yes)? = job.waitForAnswer(.awaitingConfirmation, question: Self.clean(question),
                                                         timeout: confirmTimeout) else { return nil }
        return yes
    }

    func ask(_ question: String) -> String? {
        guard case .text(let text)? = job.waitForAnswer(.awaitingUser, question: Self.clean(question),
                                                       timeout: replyTimeout) else { return nil }
        return text
    }

    /// The loop words its questions for a terminal ("deskpilot: …", "Your answer (empty to stop): ").
    static func clean(_ question: String) -> String {
        var q = question
        if q.hasPrefix("deskpilot: ") { q.removeFirst("deskpilot: ".count) }
        if let r = q.range(of: "\nYour answer (empty to stop): ") { q.removeSubrange(r) }
        return q.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
