import ArgumentParser
import DeskCLI
import DeskCore
import DeskDaemon
import DeskModels
import DeskRuntime
import Foundation

/// `deskpilot submit`: hand a task file or a goal to the daemon.
struct Submit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Queue a task file or a goal on the running daemon and print the job id.",
        discussion: """
            The task file is read by the daemon (its relative paths resolve against the file's folder); the job \
            runs with a private DESKPILOT_SCRATCH folder of its own, removed when it ends. Model \
            options resolve here first (flags, DESKPILOT_ENDPOINT/_MODEL/_DIALECT, ~/.config/deskpilot/config.yaml); \
            the daemon fills in what is still missing from its own environment. The API key always comes from \
            the daemon's environment. With --wait the job's events are printed as they happen and the command \
            exits with the job's exit code (0 done, 1 failed, 4 policy, 5 call_user unanswered, 130 stopped). \
            Exit 3 when no daemon is running.
            """)

    @Argument(help: "The task file (YAML). Give a task file or --goal.")
    var task: String?

    @Option(name: .long, help: "A goal in plain words for the model, instead of a task file.")
    var goal: String?

    @OptionGroup var model: ModelFlags

    @Option(name: .long, help: "Policy for this job: default, strict, permissive or a file (default: the task's, else the daemon's).")
    var policy: String?

    @Option(name: .long, help: "Most model steps (default 50).")
    var maxSteps: Int?

    @Option(name: .long, help: "Longest run, e.g. 90s or 10m.")
    var maxDuration: String?

    @Flag(name: .long, help: "Judge and record every action, inject none.")
    var dryRun = false

    @Flag(name: .long, help: "Hand the task's top-level goal to the model instead of running its steps.")
    var agent = false

    @Option(name: .long, help: "Parent folder of the job's trace folder (default: the daemon's).")
    var traceDir: String?

    @Option(name: .long, help: "Run on this display of a headless pool (default: the first free one).")
    var display: String?

    @Flag(name: .long, help: "Keep the job's DESKPILOT_SCRATCH folder as scratch/ in its trace folder instead of removing it.")
    var keepScratch = false

    @Flag(name: .long, help: "Follow the job's events until it ends and exit with its exit code.")
    var wait = false

    @Flag(name: .long, help: "Print the job (and with --wait its events) as JSON lines.")
    var json = false

    @OptionGroup var socket: SocketOption

    func validate() throws {
        if (task == nil) == (goal == nil) { throw ValidationError("give a task file or --goal, not both and not neither") }
        if let goal, goal.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw ValidationError("--goal must not be empty") }
        if let maxSteps, maxSteps < 1 { throw ValidationError("--max-steps must be at least 1") }
        if let maxDuration, DurationText.seconds(maxDuration).map({ $0 > 0 }) != true {
            throw ValidationError("--max-duration wants a duration such as 90s or 10m (got '\(maxDuration)')")
        }
        if agent && task == nil { throw ValidationError("--agent applies to a task file") }
    }

    func run() throws {
        var body: [String: Any] = [:]
        if let task {
            let path = URL(fileURLWithPath: task).standardizedFileURL.path
            guard FileManager.default.fileExists(atPath: path) else { throw InputError("\(task): no such task file") }
            body["task_path"] = path
        }
        if let goal { body["goal"] = goal }
        let options = try model.resolve()
        guard options.wire.usesDialect else {
            throw InputError("--provider \(options.provider) is for `deskpilot agent`; daemon jobs use --provider openai-chat with a dialect")
        }
        if let endpoint = options.endpoint { body["endpoint"] = endpoint.absoluteString }
        if let name = options.model { body["model"] = name }
        if model.dialect != nil || ProcessInfo.processInfo.environment["DESKPILOT_DIALECT"] != nil || options.endpoint != nil {
            body["dialect"] = options.dialect
        }
        if let t = options.temperature { body["temperature"] = t }
        if let m = options.maxTokens { body["max_tokens"] = m }
        if model.timeout != nil { body["timeout"] = options.timeout }
        if let policy {
            // A policy file is read by the daemon: make its path absolute.
            let builtin = ["default", "strict", "permissive"].contains(policy)
            body["policy"] = builtin ? policy : URL(fileURLWithPath: policy).standardizedFileURL.path
        }
        if let maxSteps { body["max_steps"] = maxSteps }
        if let maxDuration { body["max_duration"] = maxDuration }
        if dryRun { body["dry_run"] = true }
        if agent { body["agent"] = true }
        if let traceDir { body["trace_dir"] = URL(fileURLWithPath: traceDir).standardizedFileURL.path }
        if let display { body["display"] = display }
        if keepScratch { body["keep_scratch"] = true }

        let client = socket.client
        let job = try client.call("POST", "/jobs", json: body, as: JobSnapshot.self)
        if json {
            try JSONOutput.print(job)
        } else {
            FileHandle.standardOutput.write(Data((job.id + "\n").utf8))
        }
        guard wait else { return }
        let exitCode = try Self.follow(job.id, client: client, json: json)
        if exitCode != 0 { throw ExitCode(exitCode) }
    }

    /// Prints the job's events until it ends; returns its exit code.
    static func follow(_ id: String, client: DaemonClient, json: Bool) throws -> Int32 {
        var end: JobEvent?
        try client.followEvents(job: id) { event in
            if json {
                try? JSONOutput.print(event)
            } else {
                FileHandle.standardOutput.write(Data((event.line + "\n").utf8))
            }
            if event.kind == .end { end = event }
            return true
        }
        if let end { return end.exitCode ?? ExitStatus.failure.rawValue }
        // The stream broke before the end: ask for the final state.
        let job = try client.call("GET", "/jobs/\(id)", as: JobSnapshot.self)
        guard job.state.isFinal else {
            throw EnvironmentError("lost the event stream of job \(id) while it is \(job.state.rawValue)")
        }
        return job.exitCode ?? ExitStatus.failure.rawValue
    }
}
