import DeskAgent
import DeskCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where a daemon listens and where clients look for it: `--socket`, else `DESKPILOT_SOCKET`, else
/// `<runtime dir>/<display>.sock` for a daemon that owns a display and `<runtime dir>/pool.sock` for a
/// headless pool (see ``RuntimeLocation``).
public enum SocketLocation {
    /// The socket a daemon listens on.
    public static func forDaemon(explicit: String?, display: String?, environment: [String: String]) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let env = environment["DESKPILOT_SOCKET"], !env.isEmpty { return env }
        let dir = runtimeDirectory(environment)
        guard let display else { return RuntimeLocation.poolSocket(directory: dir) }
        return RuntimeLocation.displaySocket(directory: dir, display: display)
    }

    /// The socket a client talks to: an explicit one; else the daemon of `$DISPLAY`; else the pool's; else
    /// the only socket in the runtime folder. When none exists, the path a daemon for `$DISPLAY` would use
    /// (so the error names it).
    public static func forClient(explicit: String?, environment: [String: String]) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let env = environment["DESKPILOT_SOCKET"], !env.isEmpty { return env }
        let dir = runtimeDirectory(environment)
        var candidates: [String] = []
        if let display = environment["DISPLAY"], !display.isEmpty {
            candidates.append(RuntimeLocation.displaySocket(directory: dir, display: display))
            let short = RunRegistration.normalized(display)
            if short != display { candidates.append(RuntimeLocation.displaySocket(directory: dir, display: short)) }
        }
        candidates.append(RuntimeLocation.poolSocket(directory: dir))
        for path in candidates where isSocket(path) { return path }
        let sockets = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [])
            .filter { $0.hasSuffix(".sock") }.map { dir + "/" + $0 }.filter(isSocket)
        if sockets.count == 1 { return sockets[0] }
        return candidates[0]
    }

    /// The runtime folder for this user.
    public static func runtimeDirectory(_ environment: [String: String]) -> String {
        RuntimeLocation.directory(environment: environment, uid: geteuid(), temporaryDirectory: NSTemporaryDirectory())
    }

    /// Makes the folder of `socketPath` private (0700); when it is the runtime folder or inside it, it is
    /// created if missing. Another user's folder is refused.
    public static func prepareDirectory(for socketPath: String) throws(EnvironmentError) {
        let dir = (socketPath as NSString).deletingLastPathComponent
        try RunRegistry.ensurePrivateDirectory(dir.isEmpty ? "." : dir)
    }

    static func isSocket(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFSOCK
    }
}
