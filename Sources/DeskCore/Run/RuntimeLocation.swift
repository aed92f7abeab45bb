/// Where deskpilot keeps its per-user runtime files: the daemon's sockets and the run registry.
///
/// `$XDG_RUNTIME_DIR/deskpilot` when that variable names an absolute folder (systemd makes it private to
/// the user), else a private folder in the temp dir, `<tmp>/deskpilot-<uid>`, which the I/O side creates
/// with mode 0700 and refuses to use when another user owns it.
public enum RuntimeLocation {
    /// The folder, from the environment, the user id and the temp dir (pure).
    public static func directory(environment: [String: String], uid: UInt32, temporaryDirectory: String) -> String {
        if let xdg = environment["XDG_RUNTIME_DIR"], xdg.hasPrefix("/") {
            return trimmed(xdg) + "/deskpilot"
        }
        return trimmed(temporaryDirectory) + "/deskpilot-\(uid)"
    }

    /// The socket of a daemon that owns display `display` (`:0` → `<dir>/:0.sock`).
    public static func displaySocket(directory: String, display: String) -> String {
        directory + "/" + display.replacingOccurrences(of: "/", with: "_") + ".sock"
    }

    /// The socket of a daemon with a pool of private headless displays.
    public static func poolSocket(directory: String) -> String { directory + "/pool.sock" }

    private static func trimmed(_ path: String) -> String {
        var p = path
        while p.count > 1 && p.hasSuffix("/") { p.removeLast() }
        return p
    }
}
