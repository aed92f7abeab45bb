/// One finding of `deskpilot doctor`: what was checked, what was found and, when it is not fine, the fix
/// (the Debian package to install, the flag or variable to set).
public struct DoctorCheck: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable {
        /// Works.
        case ok
        /// Does not work; when the check is required, `doctor` exits non-zero.
        case fail
        /// Works less well (a fallback is used), or only some commands need it.
        case warn
        /// Not checked because something it builds on failed or is not configured.
        case skip
    }

    /// A short stable name (`display`, `xtest`, `xvfb`, …), the key of `--json` lines.
    public var name: String
    public var status: Status
    /// True when a first `deskpilot run … --headless` or `act` cannot work without it.
    public var required: Bool
    /// What was found, with the place it was looked for (display name, file, URL and HTTP status).
    public var detail: String
    /// How to fix it; nil when nothing needs fixing.
    public var fix: String?

    public init(name: String, status: Status, required: Bool, detail: String, fix: String? = nil) {
        self.name = name
        self.status = status
        self.required = required
        self.detail = detail
        self.fix = fix
    }

    /// True when this check keeps `doctor` from exiting 0.
    public var blocks: Bool { required && status == .fail }

    /// The line `doctor` prints: status, name, what was found, and the fix after `→`.
    public var line: String {
        let mark = switch status {
        case .ok: "ok  "
        case .fail: required ? "FAIL" : "fail"
        case .warn: "warn"
        case .skip: "skip"
        }
        let padded = name.count < 12 ? name + String(repeating: " ", count: 12 - name.count) : name + " "
        return "\(mark)  \(padded)\(detail)\(fix.map { " → \($0)" } ?? "")"
    }
}
