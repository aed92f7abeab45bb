import DeskCore
import Foundation

/// The `structuredContent` shapes of the MCP tools that return data, as ``MCPToolCatalog`` declares their
/// output schemas (snake_case keys, boxes `{x, y, width, height}`).
public enum MCPResults {
    /// `info`: the display, the policy and the version.
    public struct Info: Sendable, Hashable, Codable {
        public var version: String
        public var display: String
        public var width: Int
        public var height: Int
        public var headless: Bool
        public var policyName: String
        public var traceDir: String?
        public var details: [String: JSONValue]

        enum CodingKeys: String, CodingKey {
            case version, display, width, height, headless, details
            case policyName = "policy_name", traceDir = "trace_dir"
        }
    }

    /// One window of `windows`.
    public struct Window: Sendable, Hashable, Codable {
        public var id: String
        public var instance: String
        public var className: String
        public var title: String
        public var box: Rect
        public var focused: Bool

        enum CodingKeys: String, CodingKey {
            case id, instance, title, box, focused
            case className = "class"
        }

        public init(_ window: WindowSummary, focused: Bool) {
            id = window.hexID
            instance = window.instance
            className = window.className
            title = window.title
            box = window.rect
            self.focused = focused
        }
    }

    /// `windows`.
    public struct Windows: Sendable, Hashable, Codable {
        public var windows: [Window]
    }

    /// `tree`.
    public struct Tree: Sendable, Hashable, Codable {
        public var nodes: [A11yNodeRecord]
    }

    /// `locate`.
    public struct Matches: Sendable, Hashable, Codable {
        public var matches: [LocatedMatch]
    }

    /// `run_task`: how the job ended.
    public struct Run: Sendable, Hashable, Codable {
        public var id: String
        public var state: JobState
        public var exitCode: Int32?
        public var steps: Int
        public var reason: String?
        public var traceDir: String?

        enum CodingKeys: String, CodingKey {
            case id, state, steps, reason
            case exitCode = "exit_code", traceDir = "trace_dir"
        }

        public init(_ job: JobSnapshot) {
            id = job.id
            state = job.state
            exitCode = job.exitCode
            steps = job.steps
            reason = job.reason
            traceDir = job.traceDir
        }
    }
}
