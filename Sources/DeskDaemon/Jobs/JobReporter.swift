import DeskAgent
import DeskCore

/// Sends a job's step outcomes and messages to its event stream.
final class JobReporter: StepReporter, Sendable {
    let job: Job

    init(job: Job) { self.job = job }

    func step(_ outcome: StepOutcome) { job.recordStep(outcome) }

    func message(_ text: String) { job.recordMessage(text) }
}
