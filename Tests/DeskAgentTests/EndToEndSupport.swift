import DeskCore
import DeskTestSupport
import Foundation
import Synchronization

/// Helpers for the end-to-end tests, which run the real `deskpilot` binary against a real Xvfb.
enum EndToEnd {
    /// The folder with the built products (`deskpilot`, `deskpilot-fixture`), next to the test bundle;
    /// `DESKPILOT_BIN_DIR` overrides it.
    static var binDir: String {
        if let dir = ProcessInfo.processInfo.environment["DESKPILOT_BIN_DIR"], !dir.isEmpty { return dir }
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var url = URL(fileURLWithPath: me).deletingLastPathComponent()
        // Inside an .xctest bundle folder on some layouts.
        while !FileManager.default.fileExists(atPath: url.appendingPathComponent("deskpilot").path), url.path != "/" {
            url.deleteLastPathComponent()
        }
        return url.path
    }

    static var deskpilot: String { binDir + "/deskpilot" }
    static var fixture: String { binDir + "/deskpilot-fixture" }

    /// True when Xvfb and the built binaries are there.
    static var available: Bool {
        FileManager.default.isExecutableFile(atPath: deskpilot) && FileManager.default.isExecutableFile(atPath: "/usr/bin/Xvfb")
    }


    /// A child started with posix_spawn, a clean signal mask and default dispositions: children of a test
    /// process may inherit blocked signals, and then SIGTERM would never reach them.
    final class Spawned: Sendable {
        let pid: pid_t
        /// Held across the `waitpid`, so one caller reaps the child and every caller sees its status.
        private let status = Mutex<Int32?>(nil)

        init(_ argv: [String], environment: [String: String], stdout: String = "/dev/null",
             stderr: String = "/dev/null") throws {
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_APPEND, 0o644)
            posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_APPEND, 0o644)
            var attributes = posix_spawnattr_t()
            posix_spawnattr_init(&attributes)
            defer { posix_spawnattr_destroy(&attributes) }
            posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
            var none = sigset_t()
            sigemptyset(&none)
            posix_spawnattr_setsigmask(&attributes, &none)
            var all = sigset_t()
            sigfillset(&all)
            posix_spawnattr_setsigdefault(&attributes, &all)
            var cArgs = argv.map { strdup($0) } + [nil]
            var cEnv = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
            defer {
                cArgs.forEach { free($0) }
                cEnv.forEach { free($0) }
            }
            var pid: pid_t = 0
            let rc = posix_spawnp(&pid, argv[0], &actions, &attributes, &cArgs, &cEnv)
            guard rc == 0 else { throw EnvironmentError("cannot start \(argv[0]): \(String(cString: strerror(rc)))") }
            self.pid = pid
        }

        /// The exit status (128 + n for signal n) once it ended.
        func poll() -> Int32? {
            status.withLock { status in
                if let status { return status }
                var raw: Int32 = 0
                let r = waitpid(pid, &raw, WNOHANG)
                if r == pid {
                    let signal = raw & 0x7F
                    status = signal == 0 ? (raw >> 8) & 0xFF : 128 + signal
                } else if r < 0 {
                    status = -1
                }
                return status
            }
        }

        var isRunning: Bool { poll() == nil }

        /// Sends `signal`, then SIGKILL after `grace` seconds; waits for the end.
        func stop(signal: Int32 = SIGTERM, grace: Double = 3) {
            guard isRunning else { return }
            kill(pid, signal)
            let end = Date().addingTimeInterval(grace)
            while isRunning && Date() < end { usleep(5_000) }
            if isRunning {
                kill(pid, SIGKILL)
                while isRunning { usleep(5_000) }
            }
        }

        deinit { stop(signal: SIGKILL) }
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs deskpilot with `arguments`; `whileRunning` is called with its pid once it started.
    static func run(_ arguments: [String], environment extra: [String: String] = [:], timeout: Double = 120,
                    whileRunning: (@Sendable (pid_t) async -> Void)? = nil) async throws -> Result {
        var env = ProcessInfo.processInfo.environment
        for key in ["DESKPILOT_ENDPOINT", "DESKPILOT_MODEL", "DESKPILOT_DIALECT", "DESKPILOT_API_KEY", "OPENAI_API_KEY",
                    "ANTHROPIC_API_KEY", "DESKPILOT_PROVIDER"] {
            env.removeValue(forKey: key)
        }
        env["XDG_CONFIG_HOME"] = NSTemporaryDirectory() + "deskpilot-e2e-noconfig"
        for (k, v) in extra { env[k] = v }
        let outFile = NSTemporaryDirectory() + "deskpilot-e2e-\(UUID().uuidString).out"
        let errFile = outFile + ".err"
        defer {
            try? FileManager.default.removeItem(atPath: outFile)
            try? FileManager.default.removeItem(atPath: errFile)
        }
        let child = try Spawned([deskpilot] + arguments, environment: env, stdout: outFile, stderr: errFile)
        if let whileRunning { await whileRunning(child.pid) }
        let end = Date().addingTimeInterval(timeout)
        while child.isRunning && Date() < end { try await Task.sleep(for: .milliseconds(20)) }
        child.stop(signal: SIGKILL)
        let out = (try? String(contentsOfFile: outFile, encoding: .utf8)) ?? ""
        let err = (try? String(contentsOfFile: errFile, encoding: .utf8)) ?? ""
        return Result(status: child.poll() ?? -1, stdout: out, stderr: err)
    }

    /// A private Xvfb for one test, on a display number nobody uses.
    final class Xvfb: Sendable {
        let display: String
        let process: Spawned

        init(size: Size = Size(width: 1280, height: 800)) throws {
            var lastError = "no Xvfb output"
            for _ in 0..<20 {
                let n = Int.random(in: 200...899)
                if XvfbDisplayNumbers.isTaken(n) { continue }
                let log = NSTemporaryDirectory() + "deskpilot-e2e-xvfb-\(n).log"
                defer { try? FileManager.default.removeItem(atPath: log) }
                let p = try Spawned(["Xvfb", ":\(n)", "-screen", "0", "\(size.width)x\(size.height)x24", "-nolisten", "tcp",
                                     "-noreset"], environment: ProcessInfo.processInfo.environment, stderr: log)
                // Generous: on a loaded machine (CI shares two cores) an Xvfb can take many seconds to listen.
                let end = Date().addingTimeInterval(30)
                while p.isRunning && !FileManager.default.fileExists(atPath: "/tmp/.X11-unix/X\(n)") && Date() < end {
                    usleep(10_000)
                }
                if p.isRunning && FileManager.default.fileExists(atPath: "/tmp/.X11-unix/X\(n)")
                    && XServerProbe.waitUntilServing(display: n) {
                    display = ":\(n)"
                    process = p
                    return
                }
                p.stop(signal: SIGKILL)
                lastError = ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")
                    .split(separator: "\n").last(where: { !$0.isEmpty }).map(String.init) ?? lastError
            }
            throw EnvironmentError("cannot start a private Xvfb: 20 display numbers in 200...899 were taken or did not listen within 30 s (last: \(lastError))")
        }

        func stop() { process.stop() }
    }

    /// The fixture app on `display`, logging to `log`.
    final class Fixture: Sendable {
        let process: Spawned
        let log: String

        init(display: String, log: String, geometry: String = "800x600+0+0") throws {
            var env = ProcessInfo.processInfo.environment
            env["DISPLAY"] = display
            process = try Spawned([EndToEnd.fixture, "--log", log, "--geometry", geometry], environment: env)
            self.log = log
            let end = Date().addingTimeInterval(10)
            while Date() < end && !((try? String(contentsOfFile: log, encoding: .utf8))?.contains("\"ready\"") ?? false) {
                usleep(20_000)
            }
        }

        var events: String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }

        /// Returns once every event the X server sent the window so far is in the log (``FixtureMark``).
        func barrier() throws { try FixtureMark.wait(pid: process.pid, log: log) }

        func stop() { process.stop() }
    }

    /// The single run folder under `traceDir`, with its events parsed (each line must parse).
    static func trace(in traceDir: String) throws -> (folder: String, events: [TraceEvent]) {
        let runs = try FileManager.default.contentsOfDirectory(atPath: traceDir).filter { RunID($0) != nil }
        guard runs.count == 1, let run = runs.first else {
            throw EnvironmentError("expected one run folder in \(traceDir), found \(runs)")
        }
        let folder = traceDir + "/" + run
        let text = try String(contentsOfFile: folder + "/trace.jsonl", encoding: .utf8)
        let events = try text.split(separator: "\n").map { try TraceCoding.event(fromLine: String($0)) }
        return (folder, events)
    }
}
