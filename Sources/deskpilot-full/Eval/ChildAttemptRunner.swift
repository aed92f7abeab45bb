import DeskAgent
import DeskConfig
import DeskCore
import DeskX11
import Foundation

/// Runs each attempt as a child `deskpilot run TASK --headless --trace-dir … --json`, so a crash, a killed
/// Xvfb or a hang fails only that attempt: each child starts its own private Xvfb (which dies with it), a
/// child past its time limit is stopped (SIGTERM, then SIGKILL), and what it left — exit status, final JSON
/// line, trace — is read back and classified.
final class ChildAttemptRunner: EvalAttemptRunner, Sendable {
    struct Settings: Sendable {
        /// The `deskpilot` binary to run.
        var executable: String
        /// The results folder: traces go under `traces/`.
        var outputDirectory: String
        /// Extra arguments after `run TASK --headless --trace-dir DIR --json` (`--agent`, model options).
        var extraArguments: [String]
        /// The time limit of an attempt; nil: `defaultTimeout`, raised to a task's `max_duration` + 1 minute.
        var timeout: Double?
        var defaultTimeout: Double
        /// Where each attempt's private scratch folder is made (removed after the attempt).
        var scratchRoot: String
    }

    let settings: Settings

    init(settings: Settings) {
        self.settings = settings
    }

    func describe(_ entry: EvalSuiteEntry) -> (name: String, goal: String?)? {
        var environment = ProcessInfo.processInfo.environment
        environment["DESKPILOT_SCRATCH"] = settings.scratchRoot
        guard let task = try? TaskLoader.load(path: entry.path, environment: environment) else { return nil }
        return (task.name, task.goal)
    }

    func run(_ job: EvalJob) -> EvalRunRecord {
        let started = Date()
        let clock = MonotonicClock.now()
        let out = URL(fileURLWithPath: settings.outputDirectory)
        let traceParent = out.appendingPathComponent(job.traceParent)
        let fm = FileManager.default
        func record(_ r: EvalRunRecord) -> EvalRunRecord {
            var r = r
            r.attempt = job.attempt
            r.started = started
            r.durationS = MonotonicClock.now() - clock
            return r
        }

        // A fresh trace parent: the run folder left by this attempt is then the only one in it.
        try? fm.removeItem(at: traceParent)
        do {
            try fm.createDirectory(at: traceParent, withIntermediateDirectories: true)
        } catch {
            return record(EvalRunRecord(attempt: job.attempt, status: .error,
                                        error: "cannot create \(traceParent.path): \(error.localizedDescription)"))
        }
        let scratch = settings.scratchRoot + "/" + job.traceParent.replacingOccurrences(of: "/", with: "_")
        try? fm.removeItem(atPath: scratch)
        do {
            try fm.createDirectory(atPath: scratch, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            return record(EvalRunRecord(attempt: job.attempt, status: .error,
                                        error: "cannot create the scratch folder \(scratch): \(error.localizedDescription)"))
        }
        defer { try? fm.removeItem(atPath: scratch) }
        var environment = ProcessInfo.processInfo.environment
        environment["DESKPILOT_SCRATCH"] = scratch
        // Each child starts its own Xvfb; an inherited DISPLAY must not leak into it.
        environment.removeValue(forKey: "WAYLAND_DISPLAY")

        // Loaded here too for the check names (reported as not run if the run ends early) and the time limit.
        let task: TaskFile
        do {
            task = try TaskLoader.load(path: job.entry.path, environment: environment)
        } catch {
            return record(EvalRunRecord(attempt: job.attempt, status: .error, exitCode: ExitStatus.usage.rawValue,
                                        error: error.description))
        }
        let timeout = settings.timeout ?? max(settings.defaultTimeout, (task.limits.maxDuration ?? 0) + 60)

        let logRelative = job.traceParent + "/run.jsonl"
        let errRelative = job.traceParent + "/run.stderr"
        let logPath = out.appendingPathComponent(logRelative).path
        let errPath = out.appendingPathComponent(errRelative).path
        let argv = [settings.executable, "run", job.entry.path, "--headless", "--trace-dir", traceParent.path, "--json"]
            + settings.extraArguments
        let child: ChildProcess
        do {
            child = try ChildProcess.spawn(argv, environment: environment, stdout: logPath, stderr: errPath)
        } catch {
            return record(EvalRunRecord(attempt: job.attempt, status: .error, error: "\(error)"))
        }
        var exit: Int32?
        var timedOut = false
        var lingered = false
        let deadline = MonotonicClock.now() + timeout
        var resultSeen: Double?
        var nextLook = MonotonicClock.now() + 0.5
        while true {
            if let status = child.poll() { exit = status; break }
            let now = MonotonicClock.now()
            if now >= deadline { timedOut = true; break }
            if StopFlag.shared.isRequested { break }
            // A run that printed its result has finished its work; one that then does not exit (stuck
            // tearing down a dead display, say) is not left to run into the time limit.
            if now >= nextLook {
                nextLook = now + 0.5
                if resultSeen == nil, Self.finalLine(logPath) != nil { resultSeen = now }
                if let seen = resultSeen, now - seen >= Self.exitGrace { lingered = true; break }
            }
            usleep(20_000)
        }
        if exit == nil {
            // Past the limit (or eval is stopping): SIGTERM lets the run close its trace, SIGKILL makes sure.
            // When stopping, be quick: eval's own watchdog ends everything 2 s after the signal.
            child.terminate(grace: StopFlag.shared.isRequested ? 1 : 3)
            exit = child.poll()
        }

        let final = Self.finalLine(logPath)
        if lingered, let code = final?.exitCode { exit = code }
        let runFolder = final?.trace.map { URL(fileURLWithPath: $0) } ?? Self.onlyRunFolder(in: traceParent)
        let summary = runFolder.flatMap { try? TraceReader.read(runDirectory: $0) }.map { TraceSummary(log: $0) }
        let evidence = EvalRunEvidence(
            exitCode: exit, timedOut: timedOut, timeout: timeout, ending: final?.status, reason: final?.reason,
            steps: final?.steps, summary: summary, stderrTail: Self.tail(errPath),
            taskChecks: task.checks.map { check in
                CheckEvaluator.name(check.kind) + (check.source.map { " (\($0))" } ?? "")
            })
        var result = EvalRunClassifier.classify(evidence, attempt: job.attempt)
        if lingered, !result.status.isPass {
            result.error = (result.error ?? "") + " (deskpilot run did not exit within \(Int(Self.exitGrace)) s of printing its result, and was killed)"
        }
        if timedOut == false, StopFlag.shared.isRequested, exit == nil || exit == ExitStatus.stopped.rawValue {
            result.status = .error
            result.error = "stopped: \(StopFlag.shared.requested ?? "eval was stopped")"
        }
        result.trace = runFolder.map { EvalResultsStore.relativePath(from: out.path, to: $0.path) }
        result.log = logRelative
        return record(result)
    }

    /// Seconds a run may take to exit after printing its result.
    static let exitGrace = 5.0

    /// The `{"type":"result",…}` line `run --json` prints last.
    struct Final: Decodable {
        var type: String
        var status: String?
        var exitCode: Int32?
        var reason: String?
        var steps: Int?
        var trace: String?

        enum CodingKeys: String, CodingKey {
            case type, status, exitCode = "exit_code", reason, steps, trace
        }
    }

    static func finalLine(_ path: String) -> Final? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let decoder = JSONDecoder()
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n").reversed() {
            if let final = try? decoder.decode(Final.self, from: Data(line.utf8)), final.type == "result" { return final }
        }
        return nil
    }

    static func onlyRunFolder(in parent: URL) -> URL? {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? []
        let runs = names.filter { RunID($0) != nil }.sorted()
        return runs.last.map { parent.appendingPathComponent($0) }
    }

    static func tail(_ path: String, bytes: Int = 2000) -> String {
        guard let data = FileManager.default.contents(atPath: path) else { return "" }
        return String(decoding: data.suffix(bytes), as: UTF8.self)
    }
}
