import DeskCore
import Foundation

/// The daemon's fixed settings, from `deskpilot serve`'s options.
public struct DaemonSettings: Sendable {
    /// The policy jobs and direct actions use unless a job names another.
    public var policyName: String
    public var policy: Policy
    /// Parent of each job's trace folder; nil keeps no traces.
    public var traceDir: String?
    /// Largest request body accepted (413 above).
    public var maxBodyBytes: Int
    /// Seconds a confirmation gate waits for `POST /jobs/{id}/confirm` before it counts as denied.
    public var confirmTimeout: Double
    /// Seconds a model's `call_user` waits for `POST /jobs/{id}/reply` before the job ends (exit 5).
    public var replyTimeout: Double
    /// The deskpilot version for `/info` and traces.
    public var version: String
    /// Whether the displays are private Xvfbs (`--headless`).
    public var headless: Bool
    /// The environment jobs resolve `${env:…}`, model settings and task commands from.
    public var environment: [String: String]
    /// Jobs kept in `GET /jobs` after they ended (oldest forgotten first).
    public var keepFinished: Int
    /// Whether shutting down raises the process-wide ``StopFlag`` too (each job's own flag is raised either
    /// way). True in `deskpilot serve`; false in tests, where other tests share the process.
    public var useProcessStopFlag: Bool
    /// Where each job's scratch folder is made (the temporary directory unless given).
    public var scratchParent: String = NSTemporaryDirectory()
    /// The offline `local` dialect, when the executable provides it (nil: every goal needs an endpoint).
    public var localPlanning: (any LocalGoalPlanning)?
    /// Connection caps and timeouts of the listeners.
    public var listenerLimits = ListenerLimits()

    public init(policyName: String, policy: Policy, traceDir: String? = "./traces", maxBodyBytes: Int = 1 << 20,
                confirmTimeout: Double = 300, replyTimeout: Double = 600, version: String, headless: Bool = false,
                environment: [String: String] = ProcessInfo.processInfo.environment, keepFinished: Int = 200,
                useProcessStopFlag: Bool = false, localPlanning: (any LocalGoalPlanning)? = nil) {
        self.policyName = policyName
        self.policy = policy
        self.traceDir = traceDir
        self.maxBodyBytes = maxBodyBytes
        self.confirmTimeout = confirmTimeout
        self.replyTimeout = replyTimeout
        self.version = version
        self.headless = headless
        self.environment = environment
        self.keepFinished = keepFinished
        self.useProcessStopFlag = useProcessStopFlag
        self.localPlanning = localPlanning
    }
}
