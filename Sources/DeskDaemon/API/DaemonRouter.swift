import DeskCore
import Foundation

/// The daemon's control API as one pure function: `handle(request) async -> response`.
///
/// No sockets here: tests call ``handle(_:)`` directly, and ``ControlServer`` only moves bytes. Every
/// error is a JSON body `{"error": "…", "status": N}`: 400 for malformed JSON or YAML (with the parser's
/// message), 404 for unknown routes and jobs, 405 for a wrong method (with `Allow`), 409 for a request
/// the job's state does not allow, 413 for bodies over the limit (from the parser).
public struct DaemonRouter: Sendable {
    public let queue: JobQueue
    public let settings: DaemonSettings
    public let actions: DirectActions
    let planner: JobRequestParser
    let started = Date()
    /// Seconds `DELETE /jobs/{id}` waits for the job to end before answering 202.
    public var stopWait: Double = 5

    public init(queue: JobQueue, settings: DaemonSettings, actions: DirectActions? = nil) {
        self.queue = queue
        self.settings = settings
        self.actions = actions ?? DirectActions(policy: settings.policy, environment: settings.environment)
        self.planner = JobRequestParser(settings: settings)
    }

    private enum Route {
        case health, info, jobs, job(String), events(String), control(String, String), screenshot, actions

        var methods: [String] {
            switch self {
            case .health, .info, .events, .screenshot: return ["GET"]
            case .jobs: return ["GET", "POST"]
            case .job: return ["GET", "DELETE"]
            case .control, .actions: return ["POST"]
            }
        }
    }

    private func route(_ path: String) -> Route? {
        var parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        if parts.first == "v1" { parts.removeFirst() }
        switch parts.count {
        case 1:
            switch parts[0] {
            case "health": return .health
            case "info": return .info
            case "jobs": return .jobs
            case "screenshot": return .screenshot
            case "actions": return .actions
            default: return nil
            }
        case 2 where parts[0] == "jobs": return .job(parts[1])
        case 3 where parts[0] == "jobs":
            switch parts[2] {
            case "events": return .events(parts[1])
            case "confirm", "reply", "pause", "resume": return .control(parts[1], parts[2])
            default: return nil
            }
        default: return nil
        }
    }

    /// Answers one request.
    public func handle(_ request: DaemonRequest) async -> DaemonResponse {
        guard let route = route(request.path) else {
            return .error(.notFound, "no route \(request.path); see docs/daemon-api.md")
        }
        guard route.methods.contains(request.method) else {
            return .error(.methodNotAllowed, "\(request.method) is not allowed on \(request.path); use \(route.methods.joined(separator: " or "))",
                          extra: [("Allow", route.methods.joined(separator: ", "))])
        }
        do {
            switch route {
            case .health: return await health()
            case .info: return await info()
            case .jobs: return request.method == "GET" ? await listJobs(request) : try await submit(request)
            case .job(let id): return request.method == "GET" ? try await show(id) : try await stop(id)
            case .events(let id): return try await events(id)
            case .control(let id, let verb): return try await control(id, verb, request)
            case .screenshot: return try await screenshot(request)
            case .actions: return try await act(request)
            }
        } catch {
            return error.response
        }
    }

    // MARK: - Routes

    private func health() async -> DaemonResponse {
        let (queued, running) = await counts()
        return .json(DaemonHealth(status: "ok", jobsQueued: queued, jobsRunning: running))
    }

    private func counts() async -> (Int, Int) {
        let states = await queue.jobs().map(\.currentState)
        return (states.filter { $0 == .queued }.count, states.filter { !$0.isFinal && $0 != .queued }.count)
    }

    private func info() async -> DaemonResponse {
        let jobs = await queue.jobs().map { $0.snapshot() }
        let displays = queue.displays.map { d in
            DaemonInfo.Display(name: d.name, width: d.screenSize.width, height: d.screenSize.height,
                               job: jobs.first { $0.display == d.name && !$0.state.isFinal }?.id, details: d.details)
        }
        let (queued, running) = await counts()
        return .json(DaemonInfo(version: settings.version, pid: getpid(), uid: geteuid(), headless: settings.headless,
                                displays: displays, policyName: settings.policyName, policy: settings.policy,
                                traceDir: settings.traceDir, maxBodyBytes: settings.maxBodyBytes, jobsQueued: queued,
                                jobsRunning: running, uptimeS: Date().timeIntervalSince(started)))
    }

    private func listJobs(_ request: DaemonRequest) async -> DaemonResponse {
        var list = await queue.jobs().map { $0.snapshot() }
        if let state = request.query["state"] {
            let wanted = Set(state.split(separator: ",").map(String.init))
            list = list.filter { wanted.contains($0.state.rawValue) || (wanted.contains("active") && !$0.state.isFinal) }
        }
        return .json(JobList(jobs: list))
    }

    private func submit(_ request: DaemonRequest) async throws(APIError) -> DaemonResponse {
        let plan = try planner.plan(from: request.body)
        do {
            let job = try await queue.submit(plan)
            return .json(job.snapshot(), status: .created)
        } catch {
            switch error {
            case .shuttingDown: throw APIError(.unavailable, error.description)
            case .unknownDisplay: throw APIError(.badRequest, error.description)
            }
        }
    }

    private func job(_ id: String) async throws(APIError) -> Job {
        guard let job = await queue.job(id) else { throw APIError(.notFound, "no job \(id)") }
        return job
    }

    private func show(_ id: String) async throws(APIError) -> DaemonResponse {
        .json(try await job(id).snapshot())
    }

    private func stop(_ id: String) async throws(APIError) -> DaemonResponse {
        let job = try await job(id)
        if job.currentState.isFinal { return .json(job.snapshot()) }
        _ = await queue.stop(id, reason: "stopped through the API")
        let deadline = Date().addingTimeInterval(stopWait)
        while !job.currentState.isFinal && Date() < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return .json(job.snapshot(), status: job.currentState.isFinal ? .ok : .accepted)
    }

    private func events(_ id: String) async throws(APIError) -> DaemonResponse {
        let job = try await job(id)
        let events = job.subscribe()
        let bytes = AsyncStream<[UInt8]> { continuation in
            let task = Task {
                for await event in events { continuation.yield(event.sse) }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
        return DaemonResponse(status: .ok, headers: [("Content-Type", "text/event-stream")], body: .stream(bytes))
    }

    private func control(_ id: String, _ verb: String, _ request: DaemonRequest) async throws(APIError) -> DaemonResponse {
        let job = try await job(id)
        let state = job.currentState
        switch verb {
        case "confirm":
            let body = try JSONBody.parse(request.body)
            try body.rejectUnknown(["approve"], what: "a confirmation")
            guard let approve = try body.bool("approve") else {
                throw APIError(.badRequest, "a confirmation needs {\"approve\": true} or {\"approve\": false}")
            }
            do { try job.answer(.approve(approve)) } catch {
                throw APIError(.conflict, "job \(id) is \(state.rawValue), not awaiting_confirmation")
            }
        case "reply":
            let body = try JSONBody.parse(request.body)
            try body.rejectUnknown(["text"], what: "a reply")
            guard let text = try body.string("text"), !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw APIError(.badRequest, "a reply needs {\"text\": \"…\"} with some text")
            }
            do { try job.answer(.text(text)) } catch {
                throw APIError(.conflict, "job \(id) is \(state.rawValue), not awaiting_user")
            }
        case "pause":
            guard job.pause() else { throw APIError(.conflict, "job \(id) has already ended (\(state.rawValue))") }
            // A running job is paused at once; a queued one (or one awaiting an answer) pauses when it can.
            return .json(job.snapshot(), status: job.currentState == .paused ? .ok : .accepted)
        default:
            guard job.resume() else {
                throw APIError(.conflict, "job \(id) is \(state.rawValue); only a paused job can be resumed")
            }
        }
        return .json(job.snapshot())
    }

    private func screenshot(_ request: DaemonRequest) async throws(APIError) -> DaemonResponse {
        let display = try pick(request.query["display"])
        do {
            let png = try await Self.offPool { try display.screenshotPNG() }
            return .png(png)
        } catch {
            throw APIError(.unavailable, "screenshot of \(display.name) failed: \(error)")
        }
    }

    private func act(_ request: DaemonRequest) async throws(APIError) -> DaemonResponse {
        let body = try JSONBody.parse(request.body)
        let wanted = try body.string("display") ?? request.query["display"]
        let known = try pick(wanted)
        let action = try ActionRequest.action(from: body, screen: known.screenSize)
        let reserved: (any DaemonDisplay)?
        do {
            reserved = try await queue.reserve(display: wanted)
        } catch {
            throw APIError(.badRequest, error.description)
        }
        guard let display = reserved else {
            throw APIError(.conflict, "\(wanted.map { "display \($0) is" } ?? "every display is") running a job; stop it or wait")
        }
        do {
            let result = try await actions.perform(action, on: display)
            await queue.release(display)
            return .json(result, status: result.executed ? .ok : (result.error != nil ? .internalError : .forbidden))
        } catch {
            await queue.release(display)
            throw APIError(.unavailable, "display \(display.name): \(error)")
        }
    }

    /// The named display, or the first one.
    private func pick(_ name: String?) throws(APIError) -> any DaemonDisplay {
        if let name {
            guard let d = queue.displays.first(where: { $0.name == name }) else {
                throw APIError(.notFound, "no display \(name); this daemon owns \(queue.displays.map(\.name).joined(separator: ", "))")
            }
            return d
        }
        guard let first = queue.displays.first else { throw APIError(.unavailable, "this daemon owns no display") }
        return first
    }

    /// Runs blocking work (a capture and its PNG encoding) off the cooperative pool.
    static func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }
}

/// `GET /jobs`.
public struct JobList: Sendable, Codable {
    public var jobs: [JobSnapshot]
}
