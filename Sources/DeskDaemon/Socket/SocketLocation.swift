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

    /// Prepares the folder of `socketPath`. deskpilot's own runtime folder (and anything inside it) is created
    /// 0700 and made private. A folder the user named with `--socket` is created 0700 when missing, but an
    /// existing one is never changed — `--socket /tmp/d.sock` must not make /tmp private; the socket itself is
    /// 0600 and every peer's uid is checked. Another user's folder, or one anyone may write to without the
    /// sticky bit (where the socket could be swapped), is refused.
    public static func prepareDirectory(for socketPath: String,
                                        environment: [String: String] = ProcessInfo.processInfo.environment) throws(EnvironmentError) {
        let raw = (socketPath as NSString).deletingLastPathComponent
        let dir = raw.isEmpty ? "." : raw
        let runtime = runtimeDirectory(environment)
        if dir == runtime || dir.hasPrefix(runtime + "/") {
            try RunRegistry.ensurePrivateDirectory(dir)
            return
        }
        var info = stat()
        guard lstat(dir, &info) == 0 else {
            try RunRegistry.ensurePrivateDirectory(dir)
            return
        }
        guard (info.st_mode & S_IFMT) == S_IFDIR else {
            throw EnvironmentError("\(dir) is not a folder (a symbolic link or a file is in the way)")
        }
        guard info.st_uid == geteuid() || info.st_uid == 0 else {
            throw EnvironmentError("\(dir) belongs to uid \(info.st_uid), not to you (uid \(geteuid())); refusing to put the socket there")
        }
        if info.st_mode & 0o002 != 0 && info.st_mode & S_ISVTX == 0 {
            throw EnvironmentError("\(dir) is writable by everyone without the sticky bit: another user could replace the socket; choose another folder")
        }
    }

    static func isSocket(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFSOCK
    }
}
