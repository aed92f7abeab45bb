import DeskCore
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Ends every process of a desktop session — also the ones deskpilot never started itself — when the session
/// stops or deskpilot dies in any way, SIGKILL included.
///
/// A parent-death signal reaches direct children only, while a desktop has grandchildren deskpilot never sees:
/// the accessibility bus's own dbus-daemon, bus-activated services (at-spi2-registryd, which double-forks and
/// is re-parented to init), `soffice.bin` under its launcher script, browser helpers. So the reaper is a small
/// `sh` that leads a process group; every process of the session is spawned into that group and carries the
/// session's marker variable (`DESKPILOT_DESKTOP=<token>`, which survives a `setsid`). The reaper blocks reading
/// a pipe whose only writer is deskpilot (close-on-exec, so no other child holds it): end of file means deskpilot
/// closed it (``stop()``) or is gone. Then it sends SIGTERM to every live process in its group or with the
/// marker, waits up to 2 s, and SIGKILLs what is left until nothing is. Each line deskpilot wrote to the pipe
/// before that is a folder the reaper removes last (``removeWhenEnded(_:)``), so a killed run leaves no
/// runtime or scratch folder behind either.
final class SessionReaper: Sendable {
    /// The reaper's pid, which is also the session's process group.
    let processGroup: pid_t
    /// The marker variable's value in every process of the session.
    let token: String
    private let process: ChildProcess
    /// deskpilot's end of the pipe; nil once closed.
    private let writeEnd: Mutex<Int32?>

    static let markerVariable = "DESKPILOT_DESKTOP"

    /// The sweep: `$1` is the token; the lines read from the pipe become the folders to remove (`"$@"`, as
    /// `set --` inside a function leaves the script's own arguments alone). It ignores the signals a terminal
    /// or `ChildRegistry` would send, so it always finishes its work; it skips itself, its own helpers
    /// (`sleep`, the `$(…)` subshell) and zombies.
    static let script = #"""
        trap '' INT TERM HUP QUIT
        token=$1
        shift $#
        while IFS= read -r folder; do [ -n "$folder" ] && set -- "$@" "$folder"; done
        trap 'rm -rf -- "$@"' EXIT
        targets() {
          for d in /proc/[0-9]*; do
            p=${d#/proc/}
            [ "$p" = "$$" ] && continue
            IFS= read -r st < "$d/stat" 2>/dev/null || continue
            set -- ${st##*") "}
            [ "$1" = Z ] && continue
            [ "$2" = "$$" ] && continue
            if [ "$3" = "$$" ] || grep -qsxz "DESKPILOT_DESKTOP=$token" "$d/environ" 2>/dev/null; then echo "$p"; fi
          done
        }
        alive() {
          for p in $1; do
            IFS= read -r st < "/proc/$p/stat" 2>/dev/null || continue
            s=${st##*") "}
            [ "${s%% *}" = Z ] || return 0
          done
          return 1
        }
        list=$(targets)
        [ -z "$list" ] && exit 0
        kill -TERM $list 2>/dev/null
        i=0
        while [ $i -lt 40 ] && alive "$list"; do sleep 0.05; i=$((i+1)); done
        n=0
        while [ $n -lt 40 ]; do
          list=$(targets)
          [ -z "$list" ] && exit 0
          kill -KILL $list 2>/dev/null
          sleep 0.05
          n=$((n+1))
        done
        exit 1
        """#

    /// Starts the reaper; the session's processes are then spawned with `processGroup` and ``environment(_:)``.
    init() throws {
        guard let fds = ChildProcess.closeOnExecPipe() else {
            throw EnvironmentError("cannot create the desktop session's reaper pipe: \(String(cString: strerror(errno)))")
        }
        let token = "\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        do {
            // Not `dieWithParent` (it must outlive deskpilot to clean up) and not registered (it ends itself).
            process = try ChildProcess.spawn(["/bin/sh", "-c", Self.script, "deskpilot-reaper", token],
                                             extraFDs: [0: fds[0]], dieWithParent: false, registered: false)
        } catch {
            close(fds[0]); close(fds[1])
            throw error
        }
        close(fds[0])
        writeEnd = Mutex(fds[1])
        processGroup = process.pid
        self.token = token
    }

    /// Has the reaper remove `folder` (and everything in it) after it has ended the session's processes,
    /// whether deskpilot stopped the session or died. A path with a line break cannot be told to it and is
    /// left to deskpilot's own cleanup.
    func removeWhenEnded(_ folder: String) {
        guard !folder.isEmpty, !folder.contains("\n"), !folder.contains("\r") else { return }
        let line = Array((folder + "\n").utf8)
        writeEnd.withLock { fd in
            guard let fd else { return }
            // A reaper killed from outside must not take deskpilot with it: SIGPIPE is held back on this
            // thread for the write and a pending one dropped.
            var pipeSignal = sigset_t(), previous = sigset_t()
            sigemptyset(&pipeSignal)
            sigaddset(&pipeSignal, SIGPIPE)
            pthread_sigmask(SIG_BLOCK, &pipeSignal, &previous)
            let written = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written < 0 && errno == EPIPE {
                var now = timespec()
                _ = sigtimedwait(&pipeSignal, nil, &now)
            }
            pthread_sigmask(SIG_SETMASK, &previous, nil)
        }
    }

    /// `environment` with the session's marker variable.
    func environment(_ environment: [String: String]) -> [String: String] {
        var env = environment
        env[Self.markerVariable] = token
        return env
    }

    /// The live (not zombie) processes in the session's group or carrying its marker, the reaper excluded —
    /// what the reaper's sweep would end now.
    func members() -> [pid_t] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        let marker = Array("\(Self.markerVariable)=\(token)".utf8)
        return entries.compactMap { entry -> pid_t? in
            guard let pid = pid_t(entry), pid != processGroup,
                  let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return nil }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 3, fields[0] != "Z" else { return nil }
            if fields[1] == "\(processGroup)" { return nil }  // the reaper's own helpers
            if fields[2] == "\(processGroup)" { return pid }
            guard let environ = FileManager.default.contents(atPath: "/proc/\(entry)/environ") else { return nil }
            return environ.split(separator: 0).contains { Array($0) == marker } ? pid : nil
        }
    }

    /// Ends every process of the session and waits (up to `timeout` seconds) for the reaper to finish.
    func stop(timeout: Double = 10) {
        guard let fd = writeEnd.withLock({ fd in defer { fd = nil }; return fd }) else {
            process.wait(timeout: timeout)
            return
        }
        close(fd)
        if process.wait(timeout: timeout) == nil {
            // The sweep is stuck (a process in uninterruptible sleep): end the group ourselves.
            kill(-processGroup, SIGKILL)
            process.wait(timeout: 2)
        }
    }
}
