import DeskAgent
import DeskCore
import DeskModels
import Foundation

/// A job the API accepted: everything it needs, validated before it was queued.
public struct JobPlan: Sendable {
    /// What the job does.
    public enum Work: Sendable {
        /// A scripted task (its `goal` steps, or with `useAgent` its top-level goal, go to the model).
        case task(TaskFile, useAgent: Bool)
        /// A natural-language goal for the model.
        case goal(String)
    }

    public var work: Work
    /// The model, when the work needs one.
    public var model: ModelOptions?
    /// The policy with the task's limits merged in.
    public var policy: Policy
    /// The policy's name or path as given (for the trace and `/info`).
    public var policyName: String
    public var maxSteps: Int
    public var maxDuration: Double?
    public var dryRun: Bool
    /// Parent of the run's trace folder; nil keeps no trace.
    public var traceDir: String?
    /// The display the job must run on (a pool's member), or nil for any.
    public var display: String?
    /// The job's own scratch folder (`DESKPILOT_SCRATCH`), made when the request was read so the task's
    /// `${env:DESKPILOT_SCRATCH}` references resolve to it; removed when the job ends.
    public var scratch: ScratchFolder?
    /// Whether the scratch folder is kept with the trace (as `scratch/` in the run folder) instead of removed.
    public var keepScratch: Bool
    /// What the task's commands see: the daemon's environment with the job's scratch folder.
    public var environment: [String: String]

    public init(work: Work, model: ModelOptions?, policy: Policy, policyName: String, maxSteps: Int = 50,
                maxDuration: Double? = nil, dryRun: Bool = false, traceDir: String? = nil, display: String? = nil,
                scratch: ScratchFolder? = nil, keepScratch: Bool = false,
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.work = work
        self.model = model
        self.policy = policy
        self.policyName = policyName
        self.maxSteps = maxSteps
        self.maxDuration = maxDuration
        self.dryRun = dryRun
        self.traceDir = traceDir
        self.display = display
        self.scratch = scratch
        self.keepScratch = keepScratch
        self.environment = environment
    }

    /// True when the model is the offline `local` dialect (no endpoint).
    public var isLocal: Bool {
        guard let model, model.endpoint == nil else { return false }
        return (try? DialectRegistry.named(model.dialect))?.needsEndpoint == false
    }

    /// `task` or `goal`.
    public var kind: String {
        if case .goal = work { return "goal" }
        return "task"
    }

    /// The goal, or the task's name.
    public var title: String {
        switch work {
        case .goal(let goal): return goal
        case .task(let task, _): return task.name
        }
    }
}
