import DeskCore
import Foundation

/// One job's live state, shared between the thread that runs it and the API that watches and steers it.
///
/// The running side calls ``checkpoint(onPause:)`` at every safe point (before each action and each
/// observation), and ``waitForAnswer(_:question:timeout:)`` for confirmation gates and `call_user`; the API
/// side calls ``requestStop(_:)``, ``pause()``, ``resume()``, ``answer(_:)`` and reads ``snapshot()`` and
/// ``subscribe()``. Everything is guarded by one condition variable.
// Unchecked because every mutable field is read and written only with `condition` held: the running side
// sleeps on it (a pause, a question) until the API side signals, which `Mutex` (no condition variable) cannot
// express.
public final class Job: @unchecked Sendable {
    /// An answer to a waiting question.
    public enum Answer: Sendable, Hashable {
        case approve(Bool)
        case text(String)
    }

    /// Why ``answer(_:)`` refused.
    public enum AnswerRefusal: Error, Sendable, Hashable {
        /// The job waits for no answer (or for the other kind).
        case nothingPending(JobState)
    }

    public let id: String
    public let plan: JobPlan
    public let createdAt = Date()
    /// The job's own pause flag: the job runs under it (``PauseFlag/scoped``), so the waits and the typing
    /// inside the job hold while it is set, and pausing this job holds no other.
    public let pauseFlag = PauseFlag()

    private let condition = NSCondition()
    private var state: JobState = .queued
    private var steps = 0
    private var display: String?
    private var traceDir: String?
    private var reason: String?
    private var exitCode: Int32?
    private var startedAt: Date?
    private var endedAt: Date?
    private var stopReason: String?
    private var pauseRequested = false
    private var pending: (kind: JobState, question: String)?
    private var answerValue: Answer?
    private var events: [JobEvent] = []
    private var subscribers: [UUID: AsyncStream<JobEvent>.Continuation] = [:]
    private var queuePosition: Int?

    public init(id: String, plan: JobPlan) {
        self.id = id
        self.plan = plan
    }

    // MARK: - Reading

    /// The job as the API shows it.
    public func snapshot() -> JobSnapshot {
        condition.lock()
        defer { condition.unlock() }
        return JobSnapshot(id: id, kind: plan.kind, title: plan.title, state: state, steps: steps, display: display,
                           traceDir: traceDir, question: pending?.question, reason: reason, exitCode: exitCode,
                           queuePosition: state == .queued ? queuePosition : nil, createdAt: createdAt,
                           startedAt: startedAt, endedAt: endedAt)
    }

    public var currentState: JobState {
        condition.lock()
        defer { condition.unlock() }
        return state
    }

    /// Why a stop was requested, or nil.
    public var stopRequested: String? {
        condition.lock()
        defer { condition.unlock() }
        return stopReason
    }

    /// Every event so far, then the live ones; the stream ends after the job's `end` event. A consumer
    /// that goes away only ends its own stream.
    public func subscribe() -> AsyncStream<JobEvent> {
        let (stream, continuation) = AsyncStream<JobEvent>.makeStream(bufferingPolicy: .unbounded)
        let key = UUID()
        condition.lock()
        for event in events { continuation.yield(event) }
        let ended = state.isFinal
        if !ended { subscribers[key] = continuation }
        condition.unlock()
        if ended {
            continuation.finish()
        } else {
            continuation.onTermination = { [weak self] _ in self?.unsubscribe(key) }
        }
        return stream
    }

    private func unsubscribe(_ key: UUID) {
        condition.lock()
        subscribers.removeValue(forKey: key)
        condition.unlock()
    }

    // MARK: - Steering (API side)

    /// Asks the job to stop at its next safe point (or at once while it waits for an answer or is paused).
    public func requestStop(_ why: String) {
        condition.lock()
        if stopReason == nil { stopReason = why }
        condition.broadcast()
        condition.unlock()
    }

    /// Pauses the job: it holds before its next action, inside a `wait` (whose time stands still) and between
    /// the pieces of a long `type`, and reports `paused` at once; a queued job pauses as it starts. False when
    /// it has already ended.
    @discardableResult
    public func pause() -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !state.isFinal else { return false }
        pauseRequested = true
        pauseFlag.pause("paused through the API")
        if state == .running { enterPausedLocked() }
        return true
    }

    /// Lets a paused job (or one about to pause) go on from where it was. False when no pause was requested.
    @discardableResult
    public func resume() -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard pauseRequested, !state.isFinal else { return false }
        pauseRequested = false
        pauseFlag.resume()
        if state == .paused {
            state = .running
            emitLocked(JobEvent(seq: 0, kind: .state, job: id, state: .running, reason: "resumed"))
        }
        condition.broadcast()
        return true
    }

    private func enterPausedLocked() {
        state = .paused
        emitLocked(JobEvent(seq: 0, kind: .state, job: id, state: .paused,
                            reason: "paused: holds before its next action and inside waits"))
    }

    /// Answers the waiting question: `.approve` a confirmation gate, `.text` a `call_user`.
    public func answer(_ answer: Answer) throws(AnswerRefusal) {
        condition.lock()
        defer { condition.unlock() }
        guard let pending, answerValue == nil else { throw .nothingPending(state) }
        switch (pending.kind, answer) {
        case (.awaitingConfirmation, .approve), (.awaitingUser, .text): break
        default: throw .nothingPending(state)
        }
        answerValue = answer
        condition.broadcast()
    }

    // MARK: - Running side

    /// Marks the job as started on `display`.
    public func started(display: String) {
        condition.lock()
        self.display = display
        startedAt = Date()
        state = .running
        emitLocked(JobEvent(seq: 0, kind: .state, job: id, state: .running, reason: "started on \(display)"))
        if pauseRequested { enterPausedLocked() }
        condition.unlock()
    }

    /// Records where the trace goes.
    public func setTraceDir(_ path: String?) {
        condition.lock()
        traceDir = path
        condition.unlock()
    }

    /// Sets the place in the queue (1-based) while queued.
    func setQueuePosition(_ position: Int?) {
        condition.lock()
        queuePosition = position
        condition.unlock()
    }

    /// A step ended.
    public func recordStep(_ outcome: StepOutcome) {
        condition.lock()
        steps = max(steps, outcome.step)
        emitLocked(JobEvent(seq: 0, kind: .step, job: id, step: outcome))
        condition.unlock()
    }

    /// A line that is not a step.
    public func recordMessage(_ text: String) {
        condition.lock()
        emitLocked(JobEvent(seq: 0, kind: .message, job: id, text: text))
        condition.unlock()
    }

    /// A safe point: throws when a stop was requested; while paused, calls `onPause` once (release held
    /// keys), waits, and returns when resumed.
    public func checkpoint(onPause: () -> Void = {}) throws(StoppedError) {
        condition.lock()
        defer { condition.unlock() }
        var released = false
        while true {
            if let stopReason { throw StoppedError(reason: stopReason) }
            guard pauseRequested else { return }
            // The job's stop flag (a daemon shutdown, SIGTERM) ends a pause too.
            if let why = StopFlag.current.requested { throw StoppedError(reason: why) }
            if !released {
                released = true
                condition.unlock()
                onPause()
                condition.lock()
                continue
            }
            _ = condition.wait(until: Date().addingTimeInterval(0.05))
        }
    }

    /// Parks the job in `kind` (awaiting_confirmation or awaiting_user) until the API answers, a stop is
    /// requested or `timeout` seconds pass; nil when nobody answered.
    public func waitForAnswer(_ kind: JobState, question: String, timeout: Double) -> Answer? {
        condition.lock()
        defer { condition.unlock() }
        guard stopReason == nil else { return nil }
        pending = (kind, question)
        answerValue = nil
        let previous = state
        state = kind
        emitLocked(JobEvent(seq: 0, kind: .question, job: id, state: kind, question: question))
        let deadline = Date().addingTimeInterval(max(0, timeout))
        while answerValue == nil && stopReason == nil {
            if !condition.wait(until: deadline) { break }
        }
        let answer = answerValue
        pending = nil
        answerValue = nil
        state = pauseRequested ? .paused : previous == .paused ? .running : previous
        if answer == nil && stopReason == nil {
            reason = "nobody answered within \(Int(timeout)) s"
        }
        emitLocked(JobEvent(seq: 0, kind: .state, job: id, state: state,
                            reason: answer != nil ? "answered" : (stopReason ?? "no answer within \(Int(timeout)) s")))
        return answer
    }

    /// Ends the job: the final state, the CLI exit code and why. The event stream ends with it.
    public func finish(_ final: JobState, exitCode: Int32, reason: String) {
        condition.lock()
        guard !state.isFinal else {
            condition.unlock()
            return
        }
        // Nothing a job leaves in its scratch folder may outlive it (the runner has copied it to the trace
        // when it was asked to keep it). It goes before the end is told, so a client that saw the end finds
        // it gone.
        plan.scratch?.remove()
        state = final
        self.exitCode = exitCode
        self.reason = reason
        endedAt = Date()
        pending = nil
        emitLocked(JobEvent(seq: 0, kind: .end, job: id, state: final, reason: reason, exitCode: exitCode))
        let ending = Array(subscribers.values)
        subscribers.removeAll()
        condition.broadcast()
        condition.unlock()
        for continuation in ending { continuation.finish() }
    }

    /// Blocks until the job has ended or `timeout` seconds passed; true when it ended.
    public func waitUntilFinished(timeout: Double) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date().addingTimeInterval(timeout)
        while !state.isFinal {
            if !condition.wait(until: deadline) { return state.isFinal }
        }
        return true
    }

    /// Numbers, stores and sends an event; the caller holds the lock.
    private func emitLocked(_ event: JobEvent) {
        var event = event
        event.seq = events.count + 1
        events.append(event)
        for continuation in subscribers.values { continuation.yield(event) }
    }
}
