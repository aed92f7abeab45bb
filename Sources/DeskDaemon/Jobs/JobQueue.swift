import DeskCore
import Foundation

/// The daemon's jobs: a FIFO queue in front of its displays, each display running one job at a time.
///
/// A job waits until a display it may use is free (any display, or the one it named); jobs that can run
/// start in the order they were submitted. Each running job has a thread of its own (see
/// ``DedicatedThreadExecutor``). Direct actions reserve an idle display for their duration so no job starts under
/// them.
public actor JobQueue {
    /// Why a submission was refused.
    public enum Refusal: Error, Sendable, Hashable, CustomStringConvertible {
        /// The daemon is shutting down.
        case shuttingDown
        /// The job named a display the daemon does not own.
        case unknownDisplay(String, known: [String])

        public var description: String {
            switch self {
            case .shuttingDown: return "the daemon is shutting down and accepts no jobs"
            case .unknownDisplay(let name, let known):
                return "display \(name) is not one of this daemon's displays (\(known.joined(separator: ", ")))"
            }
        }
    }

    public nonisolated let displays: [any DaemonDisplay]
    let runner: JobRunner
    private let log: @Sendable (String) -> Void
    private var queue: [Job] = []
    private var all: [Job] = []
    /// Display name → what occupies it: a job id, or `action` while a direct action runs.
    private var occupied: [String: String] = [:]
    /// Each running job with its own stop flag (a child of the process-wide one), which every wait inside
    /// the job watches (``StopFlag/current``), so stopping one job never stops another.
    private var running: [String: (task: Task<Void, Never>, display: String, flag: StopFlag)] = [:]
    private var nextID = 1
    private var accepting = true
    private var idleWaiters: [CheckedContinuation<Void, Never>] = []

    public init(displays: [any DaemonDisplay], runner: JobRunner, log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.displays = displays
        self.runner = runner
        self.log = log
    }

    /// Queues a job and starts it when a display is free.
    public func submit(_ plan: JobPlan) throws(Refusal) -> Job {
        guard accepting else {
            plan.scratch?.remove()
            throw .shuttingDown
        }
        if let wanted = plan.display, !displays.contains(where: { $0.name == wanted }) {
            plan.scratch?.remove()
            throw .unknownDisplay(wanted, known: displays.map(\.name))
        }
        let job = Job(id: "\(nextID)", plan: plan)
        nextID += 1
        queue.append(job)
        all.append(job)
        log("job \(job.id) queued: \(plan.kind) \"\(plan.title.prefix(80))\"")
        dispatch()
        return job
    }

    /// The job with `id`, if the daemon still knows it.
    public func job(_ id: String) -> Job? { all.first { $0.id == id } }

    /// Every known job, oldest first.
    public func jobs() -> [Job] { all }

    /// Stops a job: a queued one ends at once, a running one at its next safe point (keys released).
    /// Returns nil for an unknown id.
    public func stop(_ id: String, reason: String) -> Job? {
        guard let job = job(id) else { return nil }
        if let index = queue.firstIndex(where: { $0.id == id }) {
            queue.remove(at: index)
            job.finish(.stopped, exitCode: ExitStatus.stopped.rawValue, reason: reason)
            updatePositions()
        } else if let entry = running[id] {
            job.requestStop(reason)
            // The waits inside the job (a `wait` step, a `wait_for`, settling, typing) watch its own flag.
            entry.flag.request(reason)
            // Cancelling ends a model request in flight; the loop's own checks end everything else.
            entry.task.cancel()
        }
        return job
    }

    /// True while a job runs or waits.
    public var isBusy: Bool { !queue.isEmpty || !running.isEmpty }

    /// Reserves an idle display for a direct action: the named one, or the first idle one. Nil when every
    /// candidate is busy. Call ``release(_:)`` after the action.
    public func reserve(display name: String?) async throws(Refusal) -> (any DaemonDisplay)? {
        if let name, !displays.contains(where: { $0.name == name }) {
            throw .unknownDisplay(name, known: displays.map(\.name))
        }
        // A job whose state is already final (a client saw it succeed) is only winding down, recovering its
        // display at most: wait for that rather than answer 409 to a client that did everything right.
        for display in displays where name == nil || display.name == name {
            if let id = occupied[display.name], let (task, _, _) = running[id],
               all.first(where: { $0.id == id })?.currentState.isFinal == true {
                await task.value
            }
        }
        guard let display = displays.first(where: { (name == nil || $0.name == name) && occupied[$0.name] == nil })
        else { return nil }
        occupied[display.name] = "action"
        return display
    }

    /// Frees a display reserved by ``reserve(display:)``.
    public func release(_ display: any DaemonDisplay) {
        if occupied[display.name] == "action" { occupied.removeValue(forKey: display.name) }
        dispatch()
    }

    /// Stops accepting jobs, stops every queued and running one, and returns when all have ended.
    public func shutdown(reason: String) async {
        accepting = false
        if runner.settings.useProcessStopFlag { StopFlag.shared.request(reason) }
        for job in queue { job.finish(.stopped, exitCode: ExitStatus.stopped.rawValue, reason: reason) }
        queue.removeAll()
        for (id, entry) in running {
            job(id)?.requestStop(reason)
            entry.flag.request(reason)
            entry.task.cancel()
        }
        if running.isEmpty { return }
        await withCheckedContinuation { idleWaiters.append($0) }
    }

    // MARK: - Dispatch

    private func dispatch() {
        var index = 0
        while index < queue.count {
            let job = queue[index]
            guard let display = displays.first(where: {
                occupied[$0.name] == nil && (job.plan.display == nil || job.plan.display == $0.name)
            }) else {
                index += 1
                continue
            }
            queue.remove(at: index)
            start(job, on: display)
        }
        updatePositions()
    }

    private func updatePositions() {
        for (i, job) in queue.enumerated() { job.setQueuePosition(i + 1) }
    }

    private func start(_ job: Job, on display: any DaemonDisplay) {
        occupied[display.name] = job.id
        let executor = DedicatedThreadExecutor(name: "deskpilot-job-\(job.id)")
        let runner = self.runner
        let log = self.log
        log("job \(job.id) started on \(display.name)")
        let flag = StopFlag(parent: .shared)
        let task = Task(executorPreference: executor) {
            await StopFlag.$scoped.withValue(flag) {
                await PauseFlag.$scoped.withValue(job.pauseFlag) { await runner.run(job, on: display) }
            }
            let snapshot = job.snapshot()
            log("job \(job.id) \(snapshot.state.rawValue) (exit \(snapshot.exitCode ?? -1)): \(snapshot.reason ?? "")")
            if snapshot.state == .failed {
                // A job that broke its X connection fails alone: the display is checked and reconnected.
                do {
                    if let note = try display.recover() { log("display \(display.name): \(note)") }
                } catch {
                    log("display \(display.name) cannot be recovered: \(error)")
                }
            }
            executor.close()
            await self.finished(job, display: display)
        }
        running[job.id] = (task, display.name, flag)
    }

    private func finished(_ job: Job, display: any DaemonDisplay) {
        running.removeValue(forKey: job.id)
        if occupied[display.name] == job.id { occupied.removeValue(forKey: display.name) }
        prune()
        if running.isEmpty && !accepting {
            let waiters = idleWaiters
            idleWaiters.removeAll()
            for waiter in waiters { waiter.resume() }
        }
        if accepting { dispatch() }
    }

    /// Forgets the oldest ended jobs beyond the daemon's keep limit.
    private func prune() {
        let limit = runner.settings.keepFinished
        var finished = all.filter { $0.currentState.isFinal }
        guard finished.count > limit else { return }
        finished.removeLast(limit)
        let drop = Set(finished.map(\.id))
        all.removeAll { drop.contains($0.id) }
    }
}
