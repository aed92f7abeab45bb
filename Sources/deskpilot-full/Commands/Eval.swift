import ArgumentParser
import DeskAgent
import DeskCLI
import DeskCore
import DeskModels
import DeskRuntime
import Foundation

/// `deskpilot eval SUITE_DIR`, `deskpilot eval --merge OUT_DIR SHARD_DIR…` and `deskpilot eval --status OUT`.
struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a suite of task files, each on its own private Xvfb, and report success rates.",
        discussion: """
            Every *.yaml under SUITE_DIR is a task (folders and files starting with _ or . are skipped: put \
            fixtures there); its id is its path without .yaml, its group its first folder. Each attempt runs as \
            a child 'deskpilot run TASK --headless', --parallel at a time, so a crash, a killed X server or a \
            hang fails only that task. Scripted by default (each task's steps:); with --agent or --endpoint, \
            each task's goal: goes to the model. Results go to OUT: results.json (schema: \
            docs/results.schema.json), results.md, success-by-group.svg, and traces/<task-id>/. \
            --shard I/N (0-based) runs one deterministic slice, for several machines; combine the shards with \
            'deskpilot eval --merge OUT SHARD_DIR...' (shards that died or never ran are listed as missing). \
            'deskpilot eval --status OUT' reads the progress.json each run keeps up to date in OUT, or in each \
            shard sub-folder of OUT, and prints attempts done/total, passed/failed, ETA and each shard's state. \
            Exit 0 only when every attempt of every task passed, 1 \
            otherwise, 2 for a usage mistake, 3 for a merge with missing shards. See docs/eval.md.
            """)

    @Argument(help: "The suite folder (or one task file); with --merge, the shards' results folders.")
    var paths: [String] = []

    @Option(name: .long, help: "Merge the results folders given as arguments into this folder, instead of running.")
    var merge: String?

    @Option(name: .long, help: "Print the progress of the run(s) writing into this folder (or its shard sub-folders), instead of running.")
    var status: String?

    @Option(name: .long, help: "Tasks run at once, each on its own Xvfb (default 1).")
    var parallel: Int = 1

    @Option(name: .long, help: "Run only slice I of N (0-based, like JOB_COMPLETION_INDEX), e.g. 0/4.")
    var shard: String?

    @Option(name: .customLong("repeat"), help: "Attempts per task; above 1 the report gives pass@k and flaky tasks.")
    var repeatCount: Int = 1

    @Option(name: .long, help: "The results folder (default ./eval-results); its results files and traces/ are replaced.")
    var out: String = "./eval-results"

    @Option(name: .long, help: "The desktop of every task's private display: openbox or bare (default: each task's 'desktop:', else bare).")
    var desktop: String?

    @Flag(name: .long, help: "Hand each task's goal to the model instead of running its scripted steps (implied by --endpoint).")
    var agent = false

    @OptionGroup var model: ModelFlags

    @Option(name: .long, help: "With a model: most model steps per task (default: run's default).")
    var maxSteps: Int?

    @Option(name: .long, help: "Time limit of one attempt, e.g. 5m (default 5m scripted, 30m with a model, at least the task's max_duration + 1m).")
    var taskTimeout: String?

    @Flag(name: [.short, .long], help: "Print only the summary, no progress lines.")
    var quiet = false

    @Flag(name: .long, help: "Print the results (results.json) on stdout at the end instead of the summary.")
    var json = false

    var useAgent: Bool { agent || model.endpoint != nil }

    func validate() throws {
        if let status {
            if !paths.isEmpty || merge != nil || shard != nil || agent || model.endpoint != nil {
                throw ValidationError("--status \(status) only reads a results folder; it takes no other arguments or options but --json")
            }
            return
        }
        if let merge {
            if paths.isEmpty { throw ValidationError("--merge \(merge) needs the shards' results folders as arguments") }
            if shard != nil || agent || model.endpoint != nil {
                throw ValidationError("--merge only combines results; it takes no --shard, --agent or model options")
            }
            return
        }
        if paths.count != 1 { throw ValidationError("give one suite folder (or use --merge OUT SHARD_DIR...)") }
        if parallel < 1 { throw ValidationError("--parallel must be at least 1") }
        if repeatCount < 1 { throw ValidationError("--repeat must be at least 1") }
        if let maxSteps, maxSteps < 1 { throw ValidationError("--max-steps must be at least 1") }
        if let desktop, DesktopChoice(name: desktop) == nil {
            throw ValidationError("--desktop wants \(DesktopChoice.names.joined(separator: " or ")) (got '\(desktop)')")
        }
        if let shard {
            do { _ = try EvalShard(parsing: shard) } catch { throw ValidationError(error.description) }
        }
        if let taskTimeout, DurationText.seconds(taskTimeout).map({ $0 > 0 }) != true {
            throw ValidationError("--task-timeout wants a duration such as 90s or 10m (got '\(taskTimeout)')")
        }
    }

    func run() throws {
        if let status {
            try printStatus(of: status)
            return
        }
        let results: EvalResults
        if let merge {
            results = try EvalResultsStore.merge(shards: paths, into: merge, deskpilotVersion: Deskpilot.version)
            report(results, folder: merge)
            // Missing shards are an infrastructure failure (exit 3), whatever the tasks that ran did.
            if !(results.missingShards ?? []).isEmpty { throw ExitCode(ExitStatus.environment.rawValue) }
        } else {
            results = try runSuite()
            report(results, folder: out)
        }
        if !results.allPassed { throw ExitCode(ExitStatus.failure.rawValue) }
    }

    private func runSuite() throws -> EvalResults {
        let suite = paths[0]
        let entries = try EvalSuite.discover(suite)
        let shard = try shard.map { try EvalShard(parsing: $0) } ?? .whole
        var extra: [String] = []
        var info: EvalModelInfo?
        if useAgent {
            let options = try model.resolve()
            guard let endpoint = options.endpoint else {
                throw InputError("--agent needs a model: pass --endpoint and --model (or set DESKPILOT_ENDPOINT and DESKPILOT_MODEL)")
            }
            extra = ["--agent", "--endpoint", endpoint.absoluteString, "--dialect", options.dialect]
            if let name = options.model { extra += ["--model", name] }
            if let t = model.temperature { extra += ["--temperature", String(t)] }
            if let m = model.maxTokens { extra += ["--max-tokens", String(m)] }
            if let t = model.timeout { extra += ["--timeout", t] }
            if let maxSteps { extra += ["--max-steps", String(maxSteps)] }
            info = EvalModelInfo(endpoint: endpoint.absoluteString, model: options.model, dialect: options.dialect)
        }
        if let desktop { extra += ["--desktop", desktop] }
        guard let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else {
            throw EnvironmentError("cannot find the deskpilot binary (/proc/self/exe) to run tasks with")
        }
        let outDir = URL(fileURLWithPath: out).standardizedFileURL.path
        do {
            try FileManager.default.createDirectory(atPath: outDir, withIntermediateDirectories: true)
        } catch {
            throw EnvironmentError("cannot create the results folder \(out): \(error.localizedDescription)")
        }
        // A run that dies must not leave an earlier run's results.json behind as if it were its own.
        EvalResultsStore.clearResults(in: outDir)
        let scratchRoot = NSTemporaryDirectory() + "deskpilot-eval-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        Cleanup.shared.register { try? FileManager.default.removeItem(atPath: scratchRoot) }
        let runner = ChildAttemptRunner(settings: ChildAttemptRunner.Settings(
            executable: executable, outputDirectory: outDir, extraArguments: extra,
            timeout: taskTimeout.flatMap { DurationText.seconds($0) }, defaultTimeout: useAgent ? 1800 : 300,
            scratchRoot: scratchRoot))
        let session = EvalSession(suite: suite, entries: entries, shard: shard, repeatCount: repeatCount,
                                  parallel: parallel, mode: useAgent ? .agent : .scripted, model: info,
                                  deskpilotVersion: Deskpilot.version, host: ProcessInfo.processInfo.hostName)
        let selected = session.selected
        if selected.isEmpty {
            throw InputError("shard \(shard) of \(entries.count) task\(entries.count == 1 ? "" : "s") is empty: use fewer shards")
        }
        if !quiet {
            let what = "\(selected.count) task\(selected.count == 1 ? "" : "s")" + (shard.isWhole ? "" : " (shard \(shard) of \(entries.count))")
            Self.stderr("eval \(suite): \(what) × \(repeatCount), \(parallel) at a time, \(useAgent ? "agent" : "scripted") → \(out)")
        }
        let progressFile = ProgressFile(directory: outDir, progress: EvalShardProgress(
            shard: shard, suite: suite, suiteTasks: entries.count, repeat: repeatCount,
            total: selected.count * repeatCount, started: Date(), updated: Date(),
            host: ProcessInfo.processInfo.hostName, pid: getpid()))
        progressFile.start()
        let quiet = self.quiet
        let results = session.run(runner: runner) { job, record, progress, elapsed in
            progressFile.record(record.status)
            guard !quiet else { return }
            Self.stderr(progress.line(task: job.label, status: record.status, steps: record.steps,
                                      durationS: record.durationS, elapsed: elapsed, error: record.error))
        }
        try EvalResultsStore.write(results, to: outDir)
        progressFile.end(stopped: StopFlag.shared.requested != nil)
        if let stop = StopFlag.shared.requested {
            Self.stderr("eval stopped (\(stop)); partial results in \(out)")
            throw ExitCode(ExitStatus.stopped.rawValue)
        }
        return results
    }

    /// `--status OUT`: one line of totals and one per shard (or one JSON object with `--json`).
    private func printStatus(of folder: String) throws {
        let report = try EvalResultsStore.status(of: folder) { pid in kill(pid, 0) == 0 || errno == EPERM }
        if json {
            try JSONOutput.print(report)
            return
        }
        for line in report.lines() { print(line) }
    }

    private func report(_ results: EvalResults, folder: String) {
        if json {
            if let data = try? EvalResultsStore.encode(results) { FileHandle.standardOutput.write(data) }
            return
        }
        let t = results.totals
        var line = "\(t.passedTasks)/\(t.tasks) tasks passed"
        if results.repeat > 1 {
            line += " every attempt; success rate \(EvalMarkdown.percent(t.successRate)), pass@\(results.repeat) \(EvalMarkdown.percent(t.passAtK)), \(t.flakyTasks) flaky"
        } else {
            line += " (\(EvalMarkdown.percent(t.successRate)))"
        }
        let steps = t.medianSteps.map { String(format: $0 == $0.rounded() ? "%.0f" : "%.1f", $0) } ?? "–"
        line += "; median per attempt \(steps) step\(t.medianSteps == 1 ? "" : "s"), \(t.medianDurationS.map(DurationWords.format) ?? "–"); wall \(DurationWords.format(results.wallS))"
        print(line)
        for task in results.tasks where task.status != .passed {
            let why = task.runs.first { !$0.status.isPass }?.error ?? ""
            print("  \(task.status.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)) \(task.id): \(why)")
        }
        if let missing = results.missingShards, !missing.isEmpty {
            print("  partial: shard\(missing.count == 1 ? "" : "s") \(missing.map(String.init).joined(separator: ",")) missing (an infrastructure failure, not a task result; re-run only those shards)")
            for failure in results.shardFailures ?? [] {
                print("    shard \(failure.shard) \(failure.state.rawValue)\(failure.path.map { " (\($0))" } ?? ""): \(failure.detail ?? "")")
            }
        }
        let dir = folder.hasSuffix("/") ? String(folder.dropLast()) : folder
        print("results: \(dir)/\(EvalResultsStore.jsonFile), \(dir)/\(EvalResultsStore.markdownFile)")
    }

    static func stderr(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
