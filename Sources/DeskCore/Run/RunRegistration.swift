import Foundation

/// One running deskpilot process in the run registry (`<runtime dir>/runs/<pid>.json`), so that
/// `deskpilot stop` can find the runs on a display whether a daemon or a standalone command runs them.
public struct RunRegistration: Sendable, Hashable, Codable {
    /// What kind of process it is.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// `deskpilot run`.
        case task
        /// `deskpilot agent`.
        case agent
        /// `deskpilot serve` (stopped through its socket, never by signal from `stop`).
        case daemon
        /// Any other command that drives the display (`act`, `eval`).
        case command
    }

    public var pid: Int32
    /// The X display it drives (`:0`), when known.
    public var display: String?
    public var kind: Kind
    public var startedAt: Date
    /// A short description: the goal, the task file, the daemon's socket.
    public var summary: String

    public init(pid: Int32, display: String?, kind: Kind, startedAt: Date = Date(), summary: String) {
        self.pid = pid
        self.display = display
        self.kind = kind
        self.startedAt = startedAt
        self.summary = summary
    }

    enum CodingKeys: String, CodingKey {
        case pid, display, kind, summary
        case startedAt = "started_at"
    }

    /// The file name of this registration.
    public var fileName: String { "\(pid).json" }

    /// True when this run drives `display` (runs without a known display match any).
    public func drives(_ display: String?) -> Bool {
        guard let display, let mine = self.display else { return true }
        return Self.sameDisplay(mine, display)
    }

    /// `:0`, `:0.0` and `unix:0` name the same display.
    public static func sameDisplay(_ a: String, _ b: String) -> Bool { normalized(a) == normalized(b) }

    /// The display name without `unix` and the screen number (`unix:0.0` → `:0`).
    public static func normalized(_ name: String) -> String {
        var n = name
        if n.hasPrefix("unix:") { n.removeFirst(4) }
        if let dot = n.lastIndex(of: "."), n.contains(":"), n[n.index(after: dot)...].allSatisfy(\.isNumber) {
            n = String(n[..<dot])
        }
        return n
    }
}
