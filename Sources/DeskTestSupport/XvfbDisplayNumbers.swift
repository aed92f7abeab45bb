import Foundation

/// Display numbers for the tests' private Xvfb servers, shared by every picker.
public enum XvfbDisplayNumbers {
    /// True when display `n` is held by a live server: its lock file names a process that still runs. A lock whose
    /// server is gone (SIGKILLed by some test) does not count, since Xvfb replaces it; hundreds of those pile up in
    /// /tmp on a CI machine, and a picker that skipped them found no free number.
    public static func isTaken(_ n: Int) -> Bool {
        guard let text = try? String(contentsOfFile: "/tmp/.X\(n)-lock", encoding: .utf8) else { return false }
        guard let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) else { return true }
        return kill(pid, 0) == 0 || errno == EPERM
    }
}
