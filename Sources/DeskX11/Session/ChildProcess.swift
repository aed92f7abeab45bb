import DeskCore
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A process deskpilot started and must not leave behind (Xvfb, setup commands, apps under test).
///
/// Children are spawned from one permanent thread: a parent-death signal set by `setpriv --pdeathsig`
/// fires when the *thread* that forked exits, so spawning from a short-lived worker thread would kill the
/// child early. Every child is registered, so signal handlers can end them all with ``terminateAll()``.
public final class ChildProcess: Sendable {
    public let pid: pid_t
    public let argv: [String]
    /// Held across the `waitpid`, so only one caller reaps the child and all see the same status.
    private let exitStatus = Mutex<Int32?>(nil)

    private init(pid: pid_t, argv: [String]) {
        self.pid = pid
        self.argv = argv
    }

    /// Starts `argv[0]` (searched on PATH) with `environment`, standard streams from/to the given paths
    /// (`/dev/null` by default), and `extraFDs` mapped as child fd → parent fd.
    /// - Parameters:
    ///   - dieWithParent: wrap the command in `setpriv --pdeathsig KILL`, so it is killed even when
    ///     deskpilot is killed with SIGKILL.
    ///   - processGroup: the process group to join (a ``DesktopSession``'s, which is stopped whole); 0 starts a
    ///     new group led by the child.
    ///   - registered: whether ``ChildRegistry/terminateAll(grace:)`` ends it (a session's reaper ends itself).
    public static func spawn(_ argv: [String], environment: [String: String]? = nil, stdin: String = "/dev/null",
                             stdout: String = "/dev/null", stderr: String = "/dev/null", extraFDs: [Int32: Int32] = [:],
                             dieWithParent: Bool = true, processGroup: pid_t = 0,
                             registered: Bool = true) throws -> ChildProcess {
        guard !argv.isEmpty else { throw InputError("cannot start an empty command") }
        let full = dieWithParent ? ["setpriv", "--pdeathsig", "KILL", "--"] + argv : argv
        let env = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        let result = SpawnerThread.shared.run {
            spawnNow(full, env: env, stdin: stdin, stdout: stdout, stderr: stderr, extraFDs: extraFDs,
                     processGroup: processGroup)
        }
        switch result {
        case .success(let pid):
            let child = ChildProcess(pid: pid, argv: argv)
            if registered { ChildRegistry.shared.add(child) }
            return child
        case .failure(let failure):
            throw EnvironmentError("cannot start \(argv[0]): \(String(cString: strerror(failure.code)))")
        }
    }

    private static func spawnNow(_ argv: [String], env: [String], stdin: String, stdout: String, stderr: String,
                                 extraFDs: [Int32: Int32], processGroup: pid_t) -> Result<pid_t, SpawnFailure> {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        for (childFD, parentFD) in extraFDs { posix_spawn_file_actions_adddup2(&actions, parentFD, childFD) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // A process group of its own (or a desktop session's), so a terminal's Ctrl-C reaches deskpilot only and
        // it can stop children in order.
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        posix_spawnattr_setpgroup(&attributes, processGroup)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attributes, &all)
        var cArgs = argv.map { strdup($0) } + [nil]
        var cEnv = env.map { strdup($0) } + [nil]
        defer {
            cArgs.forEach { free($0) }
            cEnv.forEach { free($0) }
        }
        var pid: pid_t = 0
        let rc = posix_spawnp(&pid, argv[0], &actions, &attributes, &cArgs, &cEnv)
        return rc == 0 ? .success(pid) : .failure(SpawnFailure(code: rc))
    }

    /// A pipe (read end, write end) whose ends no child inherits: made on the spawner thread, so no spawn
    /// happens between `pipe` and setting close-on-exec. Map an end into one child with `extraFDs`.
    static func closeOnExecPipe() -> [Int32]? {
        SpawnerThread.shared.run { () -> [Int32]? in
            var fds: [Int32] = [0, 0]
            guard pipe(&fds) == 0 else { return nil }
            for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            return fds
        }
    }

    /// The exit status when the child has ended (a signal `n` is reported as 128 + n), without blocking.
    public func poll() -> Int32? {
        exitStatus.withLock { exitStatus in
            if let exitStatus { return exitStatus }
            var status: Int32 = 0
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid {
                exitStatus = Self.decode(status)
                ChildRegistry.shared.remove(self)
            } else if r < 0 {
                exitStatus = -1
                ChildRegistry.shared.remove(self)
            }
            return exitStatus
        }
    }

    /// Waits up to `timeout` seconds for the child to end; nil if it is still running.
    @discardableResult
    public func wait(timeout: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let s = poll() { return s }
            if Date() >= deadline { return nil }
            usleep(5_000)
        }
    }

    /// SIGTERM, then SIGKILL if it has not ended within `grace` seconds; waits for it.
    public func terminate(grace: Double = 2) {
        guard poll() == nil else { return }
        kill(pid, SIGTERM)
        if wait(timeout: grace) == nil {
            kill(pid, SIGKILL)
            wait(timeout: 5)
        }
    }

    public var isRunning: Bool { poll() == nil }

    private static func decode(_ status: Int32) -> Int32 {
        let signal = status & 0x7F
        if signal == 0 { return (status >> 8) & 0xFF }
        return 128 + signal
    }
}

struct SpawnFailure: Error { var code: Int32 }

/// All children still running, so they can be ended from a signal handler or at exit.
public final class ChildRegistry: Sendable {
    public static let shared = ChildRegistry()
    private let children = Mutex<[pid_t: ChildProcess]>([:])

    func add(_ child: ChildProcess) {
        children.withLock { $0[child.pid] = child }
    }

    func remove(_ child: ChildProcess) {
        _ = children.withLock { $0.removeValue(forKey: child.pid) }
    }

    /// Ends every registered child, newest first (apps before the X server they draw on).
    public func terminateAll(grace: Double = 1) {
        let list = children.withLock { $0.values.sorted { $0.pid > $1.pid } }
        for child in list { child.terminate(grace: grace) }
    }
}

/// One thread that lives as long as the process and performs every spawn.
// Unchecked because `jobs` is touched only with `condition` held, on which the spawner thread sleeps until a
// spawn arrives (a condition variable, which `Mutex` does not offer); the jobs run on that one thread only.
final class SpawnerThread: @unchecked Sendable {
    static let shared = SpawnerThread()
    private let condition = NSCondition()
    private var jobs: [() -> Void] = []

    private init() {
        let thread = Thread { [unowned self] in self.loop() }
        thread.name = "deskpilot-spawner"
        thread.start()
    }

    private func loop() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job()
        }
    }

    func run<T>(_ body: @escaping () -> T) -> T {
        let done = NSCondition()
        nonisolated(unsafe) var result: T?
        condition.lock()
        jobs.append {
            let value = body()
            done.lock()
            result = value
            done.signal()
            done.unlock()
        }
        condition.signal()
        condition.unlock()
        done.lock()
        while result == nil { done.wait() }
        done.unlock()
        return result!
    }
}
