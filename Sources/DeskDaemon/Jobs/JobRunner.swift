import DeskAgent
import DeskCore
import DeskModels
import DeskModelsURLSession
import Foundation

/// Runs one job on one display with the same parts `deskpilot run` and `deskpilot agent` use (policy gate,
/// settle, trace, agent loop, task runner), with the daemon's own person prompt and per-job stop and pause.
public struct JobRunner: Sendable {
    public let settings: DaemonSettings

    public init(settings: DaemonSettings) { self.settings = settings }

    /// Runs `job` to its end on `display` and finishes it (state, exit code, reason). Never throws: every
    /// failure ends the job, not the daemon.
    public func run(_ job: Job, on display: any DaemonDisplay) async {
        job.started(display: display.name)
        let startedAt = MonotonicClock.now()
        let wallStart = Date()
        let plan = job.plan

        // The environment `run` gives a task: the daemon's own, with the job's private scratch folder.
        var environment = plan.environment
        environment["DISPLAY"] = display.name
        environment.removeValue(forKey: "WAYLAND_DISPLAY")

        var desktop: Desktop
        do {
            desktop = try display.makeDesktop(environment: environment)
        } catch {
            job.finish(.failed, exitCode: Self.exitCode(for: error), reason: "display \(display.name): \(error)")
            return
        }
        let performer = JobPerformer(inner: desktop.performer, job: job)
        let screen = JobScreen(inner: desktop.screen, performer: performer)
        desktop.performer = performer
        desktop.screen = screen
        desktop.prompt = JobPrompt(job: job, confirmTimeout: settings.confirmTimeout, replyTimeout: settings.replyTimeout)
        defer { performer.releaseAll() }
        // A pause that lands inside a wait releases held keys too, from the job's own thread.
        job.pauseFlag.setHoldHandler { performer.releaseAll() }
        defer { job.pauseFlag.setHoldHandler(nil) }

        var secrets: [String] = []
        if case .task(let task, _) = plan.work { secrets = task.secrets }
        let redactor = plan.policy.redactor(secrets: secrets)
        let gate = PolicyGate(policy: plan.policy, windows: desktop.windows, prompt: desktop.prompt, autoApprove: false,
                              dryRun: plan.dryRun, startedAt: startedAt)
        // Keys an earlier `act press` keeps down are the job's held keys: judged now and before every action.
        gate.adoptKept(from: performer) { FileHandle.standardError.write(Data("deskpilot: job \(job.id): \($0)\n".utf8)) }
        let executor = ActionExecutor(desktop: desktop, gate: gate,
                                      settler: Settler(screen: screen, watcher: desktop.watcher, codec: desktop.codec,
                                                       options: .standard))
        let trace: RunTrace
        do {
            if let parent = plan.traceDir {
                let recorder = try TraceRecorder(parent: parent, redactor: { redactor.redact($0) })
                trace = RunTrace(recorder: recorder, codec: desktop.codec)
                job.setTraceDir(recorder.directory.path)
            } else {
                trace = .none(codec: desktop.codec)
            }
            if let recorder = trace.recorder {
                var task: String?
                var goal: String?
                switch plan.work {
                case .goal(let g): goal = g
                case .task(let t, _):
                    task = t.path ?? t.name
                    goal = t.goal
                }
                try trace.record(.runStart(RunStartEvent(
                    runID: recorder.runID.rawValue, time: wallStart, kind: plan.kind == "goal" ? .agent : .task,
                    command: ["deskpilot", "serve", "job \(job.id)"], goal: goal, task: task,
                    dialect: plan.model?.dialect, model: plan.model?.model,
                    endpoint: plan.model?.endpoint?.absoluteString, screen: screen.screenRect.size,
                    policy: plan.policyName, dryRun: plan.dryRun, deskpilotVersion: settings.version,
                    display: display.name)))
            }
        } catch {
            job.finish(.failed, exitCode: Self.exitCode(for: error), reason: "trace: \(error)")
            return
        }

        let reporter = JobReporter(job: job)
        var loop: AgentLoop?
        if let options = plan.model {
            do {
                var configuration = AgentConfiguration(maxSteps: plan.maxSteps, maxDuration: plan.maxDuration)
                if case .task(let task, _) = plan.work {
                    configuration.maxSteps = task.limits.maxSteps.map { min($0, plan.maxSteps) } ?? plan.maxSteps
                    configuration.maxDuration = task.limits.maxDuration ?? plan.maxDuration
                }
                if plan.isLocal, let local = settings.localPlanning {
                    loop = AgentLoop(configuration: configuration, planner: try local.planner(for: desktop),
                                     executor: executor, trace: trace, reporter: reporter, redactor: redactor)
                } else if options.endpoint != nil {
                    loop = AgentLoop(configuration: configuration, dialect: try DialectRegistry.named(options.dialect),
                                     client: try ModelClient(options: options), executor: executor, trace: trace,
                                     reporter: reporter, redactor: redactor)
                }
            } catch {
                end(job, trace: trace, ending: .inputError, reason: "\(error)", steps: 0, prompt: 0, completion: 0,
                    startedAt: startedAt)
                return
            }
        }

        let ending: RunEnding, reason: String, steps: Int, prompt: Int, completion: Int
        switch plan.work {
        case .goal(let goal):
            guard let loop else {
                end(job, trace: trace, ending: .inputError, reason: "a goal needs a model", steps: 0, prompt: 0,
                    completion: 0, startedAt: startedAt)
                return
            }
            let outcome = await loop.run(goal: goal, startedAt: startedAt)
            (ending, reason, steps, prompt, completion) = (outcome.ending, outcome.reason, outcome.steps,
                                                           outcome.promptTokens, outcome.completionTokens)
        case .task(let task, let useAgent):
            let runner = TaskRunner(task: task, executor: executor, trace: trace, reporter: reporter, agent: loop,
                                    options: TaskRunner.Options(useAgent: useAgent))
            let outcome = await runner.run(startedAt: startedAt)
            (ending, reason, steps, prompt, completion) = (outcome.ending, outcome.reason, outcome.steps,
                                                           outcome.promptTokens, outcome.completionTokens)
        }
        end(job, trace: trace, ending: ending, reason: reason, steps: steps, prompt: prompt, completion: completion,
            startedAt: startedAt, finalScreen: trace.recorder == nil ? nil : try? screen.capture())
    }

    /// Writes `run_end`, closes the trace and finishes the job. A requested stop wins over whatever error
    /// the interrupted work reported on its way out.
    private func end(_ job: Job, trace: RunTrace, ending: RunEnding, reason: String, steps: Int, prompt: Int,
                     completion: Int, startedAt: Double, finalScreen: Frame? = nil) {
        var ending = ending
        var reason = reason
        if let why = job.stopRequested {
            ending = .stopped
            reason = why
        }
        do {
            try trace.end(RunEndEvent(time: Date(), status: ending.runStatus, exitCode: ending.exitStatus.rawValue,
                                      reason: reason, steps: steps, durationS: MonotonicClock.now() - startedAt,
                                      promptTokens: prompt > 0 ? prompt : nil,
                                      completionTokens: completion > 0 ? completion : nil),
                          finalScreen: trace.recorder == nil ? nil : finalScreen)
        } catch {
            if ending == .finished {
                ending = .environmentError
                reason = "\(error)"
            }
        }
        if job.plan.keepScratch, let scratch = job.plan.scratch, let directory = trace.directory {
            do { try scratch.move(to: directory + "/scratch") } catch { job.recordMessage("\(error)") }
        }
        let state: JobState = ending == .finished ? .succeeded : ending == .stopped ? .stopped : .failed
        job.finish(state, exitCode: ending.exitStatus.rawValue, reason: reason)
    }

    /// The CLI exit code for an error that ended a job before it ran.
    static func exitCode(for error: any Error) -> Int32 {
        (error as? any DeskError)?.exitStatus.rawValue ?? ExitStatus.environment.rawValue
    }
}
