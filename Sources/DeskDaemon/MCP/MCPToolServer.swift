import DeskCore
import Foundation
import Logging
import MCP

/// `deskpilot mcp`: the desktop as Model Context Protocol tools.
///
/// Tools (``MCPToolCatalog``): `screenshot` (an image), `info`, `windows`, `locate` (when local grounding is
/// available), the HTTP API's actions (`click` … `release`) and `run_task`, with progress notifications
/// per step and cancellation. Every action goes through the policy engine; nobody can answer a
/// confirmation over MCP, so a `confirm` decision is a denial whose reason is in the tool result (and a
/// job's `call_user` ends it with exit 5).
public final class MCPToolServer: Sendable {
    public let display: any DaemonDisplay
    public let queue: JobQueue
    public let actions: DirectActions
    let planner: JobRequestParser
    let locator: (any TextLocating)?
    let version: String
    let settings: DaemonSettings
    /// Longest a `run_task` call waits for its job.
    let runTimeout: Double

    /// - Parameter settings: the daemon settings for `run_task` jobs; their confirmation and reply
    ///   timeouts are forced to zero (nobody can answer over MCP).
    public init(display: any DaemonDisplay, settings: DaemonSettings, locator: (any TextLocating)? = nil,
                runTimeout: Double = 3600) {
        var settings = settings
        settings.confirmTimeout = 0
        settings.replyTimeout = 0
        self.display = display
        queue = JobQueue(displays: [display], runner: JobRunner(settings: settings))
        actions = DirectActions(policy: settings.policy, environment: settings.environment)
        planner = JobRequestParser(settings: settings)
        self.locator = locator
        version = settings.version
        self.settings = settings
        self.runTimeout = runTimeout
    }

    /// The tools offered (see ``MCPToolCatalog``).
    public var tools: [Tool] { MCPToolCatalog(screen: display.screenSize, canLocate: locator != nil).tools }

    /// Reports one step of a `run_task` to the client: progress so far, the total when known, a line.
    public typealias ProgressReport = @Sendable (_ progress: Double, _ total: Double?, _ message: String) async -> Void

    /// A server with the tool handlers installed (not started). An unknown tool is a JSON-RPC error
    /// (`-32602`, as the protocol says); a tool that fails answers `isError` with the reason.
    public func makeServer() async -> Server {
        let server = Server(name: "deskpilot", version: version, capabilities: .init(tools: .init(listChanged: false)))
        let tools = self.tools
        let names = Set(tools.map(\.name))
        await server.withMethodHandler(ListTools.self) { _ in .init(tools: tools) }
        await server.withMethodHandler(CallTool.self) { [self, weak server] params in
            guard names.contains(params.name) else { throw MCPError.invalidParams("Unknown tool: \(params.name)") }
            var report: ProgressReport?
            if let token = params._meta?.progressToken, let server {
                report = { progress, total, message in
                    try? await server.notify(ProgressNotification.message(
                        .init(progressToken: token, progress: progress, total: total, message: message)))
                }
            }
            return await call(params.name, arguments: params.arguments ?? [:], progress: report)
        }
        return server
    }

    /// Serves on stdin/stdout until stdin closes. Logs go to stderr only: stdout carries JSON-RPC.
    public func runStdio() async throws {
        let logger = Logger(label: "deskpilot-mcp") { StreamLogHandler.standardError(label: $0) }
        let server = await makeServer()
        try await server.start(transport: StdioTransport(logger: logger))
        await server.waitUntilCompleted()
        await queue.shutdown(reason: "the MCP client went away")
    }

    /// Runs one tool call; `progress` hears of each step of a `run_task`.
    public func call(_ name: String, arguments: [String: Value], progress: ProgressReport? = nil) async -> CallTool.Result {
        do {
            switch name {
            case "screenshot":
                let png = try await DaemonRouter.offPool { [display] in try display.screenshotPNG() }
                return .init(content: [
                    .image(data: Data(png).base64EncodedString(), mimeType: "image/png", annotations: nil, _meta: nil),
                    .text(text: "screen \(display.screenSize.width)x\(display.screenSize.height)", annotations: nil, _meta: nil),
                ], isError: false)
            case "info":
                return try Self.structured(MCPResults.Info(
                    version: version, display: display.name, width: display.screenSize.width,
                    height: display.screenSize.height, headless: settings.headless, policyName: settings.policyName,
                    traceDir: settings.traceDir, details: display.details))
            case "windows":
                let (all, focused) = try await DaemonRouter.offPool { [display] in try display.windows() }
                return try Self.structured(MCPResults.Windows(windows: all.map { .init($0, focused: $0.id == focused) }))
            case "tree":
                let depth = arguments["depth"]?.intValue
                let nodes = try await DaemonRouter.offPool { [display] in try display.accessibilityTree(maxDepth: depth) }
                return try Self.structured(MCPResults.Tree(nodes: nodes))
            case _ where MCPToolCatalog.actionNames.contains(name):
                return try await act(name, arguments)
            case "locate":
                guard let locator else { return Self.text("locate needs local grounding, which is not available", error: true) }
                guard case .string(let text)? = arguments["text"], !text.isEmpty else {
                    return Self.text("locate needs a non-empty 'text'", error: true)
                }
                let display = self.display
                let found = try await DaemonRouter.offPool { try locator.locate(text, on: display) }
                return try Self.structured(MCPResults.Matches(matches: found),
                                           error: found.isEmpty ? "'\(text)' is not on the screen" : nil)
            case "run_task":
                return try await runTask(arguments, progress: progress)
            default:
                return Self.text("unknown tool '\(name)'", error: true)
            }
        } catch let error as APIError {
            return Self.text(error.message, error: true)
        } catch {
            return Self.text("\(error)", error: true)
        }
    }

    /// One input action, through the policy, on the display when no `run_task` job holds it.
    private func act(_ name: String, _ arguments: [String: Value]) async throws -> CallTool.Result {
        var fields = Self.json(arguments)
        fields["action"] = .string(name)
        let action = try ActionRequest.action(from: JSONBody(fields: fields), screen: display.screenSize)
        guard let reserved = try await queue.reserve(display: nil) else {
            return Self.text("the display is busy with a run_task job; try again when it has ended", error: true)
        }
        let result: DirectActions.Result
        do {
            result = try await actions.perform(action, on: reserved)
        } catch {
            await queue.release(reserved)
            throw error
        }
        await queue.release(reserved)
        let line: String
        if result.executed {
            line = "\(result.action): done"
        } else if let error = result.error {
            line = "\(result.action) failed: \(error)"
        } else {
            line = "\(result.action) refused by the policy (\(result.rule ?? result.decision)): \(result.reason)"
        }
        let structured: Value? = try Self.value(result)
        return .init(content: [.text(text: line, annotations: nil, _meta: nil)], structuredContent: structured,
                     isError: !result.executed)
    }

    /// Runs a job to its end. Each step is reported to `progress`; when the client cancels the request, the
    /// job is stopped as `DELETE /jobs/{id}` stops it (keys released, trace closed) before this returns.
    private func runTask(_ arguments: [String: Value], progress: ProgressReport?) async throws -> CallTool.Result {
        let body = try DaemonJSON.encoder.encode(JSONValue.object(Self.json(arguments)))
        let plan = try planner.plan(from: [UInt8](body))
        let job: Job
        do {
            job = try await queue.submit(plan)
        } catch {
            return Self.text(error.description, error: true)
        }
        var total: Double?
        if case .task(let task, false) = plan.work, plan.model == nil { total = Double(max(1, task.steps.count)) }
        let events = job.subscribe()
        let forwarding = Task {
            guard let progress else { return }
            var done = 0.0
            for await event in events where event.kind == .step {
                done += 1
                await progress(done, total.map { max($0, done) }, event.step?.line ?? event.line)
            }
        }
        let deadline = Date().addingTimeInterval(runTimeout)
        var stopping = false
        while !job.currentState.isFinal {
            if !stopping, Task.isCancelled || Date() > deadline {
                stopping = true
                _ = await queue.stop(job.id, reason: Task.isCancelled ? "cancelled by the MCP client"
                                                                        : "run_task took longer than \(Int(runTimeout)) s")
            }
            if Task.isCancelled {
                // A cancelled task's sleep returns at once: wait on a thread instead.
                _ = try? await DaemonRouter.offPool { job.waitUntilFinished(timeout: 0.2) }
            } else {
                try? await Task.sleep(for: .milliseconds(50))
            }
        }
        // Every step's progress goes out before the result (the stream ends with the job).
        await forwarding.value
        let snapshot = job.snapshot()
        var summary = "\(snapshot.state.rawValue) (exit \(snapshot.exitCode ?? -1)) after \(snapshot.steps) step\(snapshot.steps == 1 ? "" : "s")"
        if let reason = snapshot.reason { summary += ": \(reason)" }
        if let trace = snapshot.traceDir { summary += "\ntrace: \(trace)" }
        let structured: Value? = try Self.value(MCPResults.Run(snapshot))
        return .init(content: [.text(text: summary, annotations: nil, _meta: nil)], structuredContent: structured,
                     isError: snapshot.state != .succeeded)
    }

    /// A result with `structuredContent`, and the same JSON as text (for clients that read only text).
    static func structured<T: Encodable>(_ value: T, error: String? = nil) throws -> CallTool.Result {
        let line = try JSONStyle.line(value)
        var content: [Tool.Content] = [.text(text: line, annotations: nil, _meta: nil)]
        if let error { content.insert(.text(text: error, annotations: nil, _meta: nil), at: 0) }
        let structured: Value? = try JSONDecoder().decode(Value.self, from: Data(line.utf8))
        return .init(content: content, structuredContent: structured, isError: error != nil)
    }

    /// `value` in the project's JSON style, as an MCP value.
    static func value<T: Encodable>(_ value: T) throws -> Value {
        try JSONDecoder().decode(Value.self, from: Data(try JSONStyle.line(value).utf8))
    }

    static func text(_ text: String, error: Bool) -> CallTool.Result {
        .init(content: [.text(text: text, annotations: nil, _meta: nil)], isError: error)
    }

    /// MCP values as the daemon's JSON values.
    static func json(_ arguments: [String: Value]) -> [String: JSONValue] {
        arguments.mapValues(convert)
    }

    static func convert(_ value: Value) -> JSONValue {
        switch value {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .number(Double(i))
        case .double(let d): return .number(d)
        case .string(let s): return .string(s)
        case .data(_, let d): return .string(d.base64EncodedString())
        case .array(let a): return .array(a.map(convert))
        case .object(let o): return .object(o.mapValues(convert))
        }
    }
}
