import DeskCore
import Foundation

/// `GET /info`: what the daemon owns and enforces.
public struct DaemonInfo: Sendable, Encodable {
    /// One display.
    public struct Display: Sendable, Codable {
        public var name: String
        public var width: Int
        public var height: Int
        /// The job running on it, if any.
        public var job: String?
        /// Facts from the display (extensions, Xvfb or not, keyboard layout).
        public var details: [String: JSONValue]
    }

    public var version: String
    public var pid: Int32
    public var uid: UInt32
    public var headless: Bool
    public var displays: [Display]
    /// The policy's name (or path) and the policy itself, with the policy file's snake_case keys
    /// (`kill_switch`, `on_violation`).
    public var policyName: String
    public var policy: JSONValue
    public var traceDir: String?
    public var maxBodyBytes: Int
    public var jobsQueued: Int
    public var jobsRunning: Int
    public var uptimeS: Double

    public init(version: String, pid: Int32, uid: UInt32, headless: Bool, displays: [Display], policyName: String,
                policy: Policy, traceDir: String?, maxBodyBytes: Int, jobsQueued: Int, jobsRunning: Int, uptimeS: Double) {
        self.version = version
        self.pid = pid
        self.uid = uid
        self.headless = headless
        self.displays = displays
        self.policyName = policyName
        self.policy = (try? JSONStyle.tree(policy)) ?? .null
        self.traceDir = traceDir
        self.maxBodyBytes = maxBodyBytes
        self.jobsQueued = jobsQueued
        self.jobsRunning = jobsRunning
        self.uptimeS = uptimeS
    }

    enum CodingKeys: String, CodingKey {
        case version, pid, uid, headless, displays, policy
        case policyName = "policy_name", traceDir = "trace_dir", maxBodyBytes = "max_body_bytes"
        case jobsQueued = "jobs_queued", jobsRunning = "jobs_running", uptimeS = "uptime_s"
    }
}

/// `GET /health`.
public struct DaemonHealth: Sendable, Codable, Hashable {
    public var status: String
    public var jobsQueued: Int
    public var jobsRunning: Int

    enum CodingKeys: String, CodingKey {
        case status
        case jobsQueued = "jobs_queued", jobsRunning = "jobs_running"
    }
}
