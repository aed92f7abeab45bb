import ArgumentParser
import DeskAgent
import DeskConfig
import DeskCore
import DeskRuntime
import DeskRuntimeOCR
import DeskX11
import Foundation

/// `deskpilot replay RUN_DIR`: re-run a recorded run's actions on a fresh display and re-check its task.
struct Replay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Re-run the actions a trace recorded on a fresh Xvfb, with the task's setup, and rerun its checks.",
        discussion: """
            A regression test for a task or a model's answer without calling the model: the run's task file \
            (recorded in the trace) gives the setup and the checks; the actions are replayed at the recorded \
            screen points on a private Xvfb of the recorded screen size, through the policy again. Waits and \
            focus steps of a scripted run come from the task file; other pauses last as long as recorded. The \
            replay writes its own trace (kind replay). Exit 0 when the checks pass again, 1 when not, 2 when \
            the trace cannot be replayed (a held key or button, a redacted secret), as for 'run' otherwise.
            """)

    @Argument(help: "The run folder (<trace-dir>/<run-id>) or its trace.jsonl.")
    var runDir: String

    @Option(name: .long, help: "Policy file, or default, strict, permissive (default: the one the run used).")
    var policy: String?

    @Option(name: .long, help: "Parent folder of the replay's own trace folder (default ./traces).")
    var traceDir: String = "./traces"

    @Flag(name: [.short, .long], help: "Print only the final line.")
    var quiet = false

    @Flag(name: .long, help: "Print steps and the result as JSON lines.")
    var json = false

    @Flag(name: .long, help: "Approve the policy's confirmation gates without asking.")
    var yes = false

    func validate() throws {
        if quiet && json { throw ValidationError("-q and --json exclude each other") }
    }

    func run() async throws {
        let summary = try TraceReader.summary(runDir)
        guard let start = summary.start else {
            throw InputError("\(runDir): the trace has no run_start event, so its screen and task are unknown")
        }
        let environment = try RunWiring.scratchEnvironment()
        var task: TaskFile?
        if let path = start.task {
            guard FileManager.default.fileExists(atPath: path) else {
                throw InputError("\(runDir): the run's task file \(path) is gone; replay needs its setup and checks")
            }
            task = try TaskLoader.load(path: path, environment: environment)
        }
        let plan = try ReplayPlan.make(summary: summary, task: task)
        var replayTask = task ?? TaskFile(directory: FileManager.default.currentDirectoryPath, name: "replay of \(start.runID)")
        replayTask.steps = plan.steps
        // The goal stays in the trace for people; the runner must not hand it to an agent.
        replayTask.goal = nil

        let policyRef = policy ?? start.policy
        let basePolicy = try Self.loadPolicy(policyRef, explicit: policy != nil).mergingLimits(replayTask.limits)
        let desktop = try DesktopSession.start(task?.desktop ?? .bare, screen: start.screen)
        Cleanup.shared.register { desktop.stop() }
        RunWiring.handScratch(to: desktop)
        let context = DisplayContext(display: try X11Display(name: desktop.displayName), desktop: desktop)
        let printer = LivePrinter(mode: quiet ? .quiet : json ? .json : .lines)
        let actions = plan.steps.filter { ReplayPlan.isActionKind($0.kind) }.count
        printer.message("replaying \(start.runID) (\(summary.status)): \(actions) action\(actions == 1 ? "" : "s") on a fresh \(start.screen) display"
                        + (task.map { ", task \($0.path ?? $0.name)" } ?? ", no task file: nothing to check"))
        for note in plan.skipped { printer.message("not replayed: \(note)") }
        let wiring = try RunWiring(context: context, policy: basePolicy, policyName: policyRef, secrets: replayTask.secrets,
                                   dryRun: false, autoApprove: yes, traceDir: traceDir, printer: printer,
                                   textFinder: OCRTextFinder(),
                                   environment: environment)
        try wiring.start(kind: .replay, goal: start.goal, task: replayTask.path, options: nil)
        let runner = TaskRunner(task: replayTask, executor: wiring.executor, trace: wiring.trace, reporter: printer,
                                agent: nil, options: TaskRunner.Options(useAgent: false))
        let startedAt = wiring.startedAt
        let outcome = await runner.run(startedAt: startedAt)
        printer.message("recorded run: \(summary.status); replay: \(outcome.ending.runStatus.rawValue)")
        let status = wiring.finish(ending: outcome.ending, reason: outcome.reason, steps: outcome.steps,
                                   promptTokens: 0, completionTokens: 0)
        if status != .success { throw ExitCode(status.rawValue) }
    }

    /// The run's policy; a recorded one that no longer loads falls back to the default (with a warning),
    /// one given with --policy must load.
    static func loadPolicy(_ reference: String, explicit: Bool) throws -> Policy {
        do {
            return try PolicyLoader.load(nameOrPath: reference)
        } catch {
            if explicit { throw error }
            FileHandle.standardError.write(Data("deskpilot: the run's policy \(reference) does not load (\(error)); replaying under default\n".utf8))
            return try PolicyLoader.load(nameOrPath: "default")
        }
    }
}
