import DeskAgent
import DeskConfig
import DeskCore
import DeskModels
import Foundation

/// Turns a `POST /jobs` body into a ``JobPlan``, checking everything before the job is queued: the task
/// YAML (errors as `file:line:column`), the policy, the model settings and the limits.
///
/// Body fields: exactly one of `task_yaml` (with optional `task_dir` for its relative paths and
/// `task_name` for messages), `task_path` or `goal`; then `endpoint`, `model`, `dialect`, `temperature`,
/// `max_tokens`, `timeout`, `policy`, `max_steps`, `max_duration`, `dry_run`, `agent` (hand a task's goal
/// to the model), `trace_dir` (or `no_trace`), `keep_scratch`, `display`.
///
/// Each plan gets its own scratch folder (`DESKPILOT_SCRATCH`) before the task is read, so the task's
/// `${env:DESKPILOT_SCRATCH}` references name that job's folder and no other; a request that is refused
/// leaves none behind. A goal (or a task's goal steps) with `dialect: local` needs no endpoint when the
/// daemon has ``DaemonSettings/localPlanning``.
public struct JobRequestParser: Sendable {
    public let settings: DaemonSettings

    public init(settings: DaemonSettings) { self.settings = settings }

    static let fields: Set<String> = [
        "task_yaml", "task_path", "task_dir", "task_name", "goal", "endpoint", "model", "dialect", "temperature",
        "max_tokens", "timeout", "policy", "max_steps", "max_duration", "dry_run", "agent", "trace_dir", "no_trace",
        "keep_scratch", "display",
    ]

    public func plan(from bytes: [UInt8]) throws(APIError) -> JobPlan {
        let scratch: ScratchFolder
        do { scratch = try ScratchFolder.create(label: "job", in: settings.scratchParent) } catch {
            throw APIError(.internalError, error.description)
        }
        do {
            return try plan(from: bytes, scratch: scratch)
        } catch {
            scratch.remove()
            throw error
        }
    }

    private func plan(from bytes: [UInt8], scratch: ScratchFolder) throws(APIError) -> JobPlan {
        let environment = scratch.environment(settings.environment)
        let body = try JSONBody.parse(bytes)
        try body.rejectUnknown(Self.fields, what: "a job")
        let taskYAML = try body.string("task_yaml")
        let taskPath = try body.string("task_path")
        let goal = try body.string("goal")
        let given = [taskYAML, taskPath, goal].compactMap { $0 }
        guard given.count == 1 else {
            throw APIError(.badRequest, "a job needs exactly one of task_yaml, task_path or goal (got \(given.count))")
        }
        if let goal, goal.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw APIError(.badRequest, "'goal' must not be empty")
        }
        let maxSteps = try body.int("max_steps") ?? 50
        guard maxSteps >= 1 else { throw APIError(.badRequest, "'max_steps' must be at least 1") }
        let maxDuration = try body.duration("max_duration")
        let useAgent = try body.bool("agent") ?? false
        let dryRun = try body.bool("dry_run") ?? false

        var task: TaskFile?
        do {
            if let taskPath {
                task = try TaskLoader.load(path: taskPath, environment: environment)
            } else if let taskYAML {
                let directory = try body.string("task_dir") ?? FileManager.default.currentDirectoryPath
                let name = try body.string("task_name") ?? "task.yaml"
                task = try TaskLoader.parse(yaml: taskYAML, file: name, directory: directory, environment: environment)
            }
        } catch {
            throw APIError(.badRequest, "\(error)")
        }

        // The model: needed for a goal, for a task's goal steps, and for `agent`.
        var options: ModelOptions
        do {
            options = try ModelOptions.load(endpoint: try body.string("endpoint"), model: try body.string("model"),
                                            dialect: try body.string("dialect"), environment: settings.environment)
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError(.badRequest, "\(error)")
        }
        if let t = try body.double("temperature") {
            guard (0...2).contains(t) else { throw APIError(.badRequest, "'temperature' must be between 0 and 2") }
            options.temperature = t
        }
        if let m = try body.int("max_tokens") {
            guard m >= 1 else { throw APIError(.badRequest, "'max_tokens' must be at least 1") }
            options.maxTokens = m
        }
        if let t = try body.duration("timeout") { options.timeout = t }
        let hasEndpoint = options.endpoint != nil
        let dialect: Dialect?
        if hasEndpoint {
            do { dialect = try DialectRegistry.named(options.dialect) } catch { throw APIError(.badRequest, "\(error)") }
        } else {
            dialect = try? DialectRegistry.named(options.dialect)
        }
        // `dialect: local` plays the model offline: it needs no endpoint, only the daemon's local planning.
        let local = !hasEndpoint && dialect?.needsEndpoint == false ? settings.localPlanning : nil
        let hasModel = hasEndpoint || local != nil
        if goal != nil, !hasModel {
            throw APIError(.badRequest, "a goal needs a model: pass 'endpoint' (or set DESKPILOT_ENDPOINT for the daemon), or 'dialect': 'local'")
        }
        if let task {
            do { try TaskValidator.validate(task, hasModel: hasModel, useAgent: useAgent, canFindText: true,
                                            canFindElements: true) } catch {
                throw APIError(.badRequest, "\(error)")
            }
        }
        if let local {
            // Every goal the local planner will get must read as steps before the job is queued.
            do {
                if let goal { try local.check(goal: goal) }
                if let task { try TaskValidator.checkGoals(of: task, useAgent: useAgent) { try local.check(goal: $0) } }
            } catch {
                throw APIError(.badRequest, "\(error)")
            }
        }

        // The policy: the daemon's is the floor; the request's (else the task's) only tightens it.
        let requested = try body.string("policy") ?? task?.policy
        var policy = settings.policy
        var policyName = settings.policyName
        if let requested, requested != settings.policyName {
            do { policy = settings.policy.intersected(with: try PolicyLoader.load(nameOrPath: requested)) } catch {
                throw APIError(.badRequest, "\(error)")
            }
            policyName = policy.name
        }
        if let task { policy = policy.mergingLimits(task.limits) }

        var traceDir = settings.traceDir
        if let dir = try body.string("trace_dir") { traceDir = dir }
        if try body.bool("no_trace") == true { traceDir = nil }

        let work: JobPlan.Work = task.map { .task($0, useAgent: useAgent) } ?? .goal(goal ?? "")
        return JobPlan(work: work, model: hasEndpoint ? options : local != nil ? ModelOptions(dialect: Dialect.local.name) : nil,
                       policy: policy, policyName: policyName, maxSteps: maxSteps, maxDuration: maxDuration,
                       dryRun: dryRun, traceDir: traceDir, display: try body.string("display"), scratch: scratch,
                       keepScratch: try body.bool("keep_scratch") ?? false, environment: environment)
    }
}
