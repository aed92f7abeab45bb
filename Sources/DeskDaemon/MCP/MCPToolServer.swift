import DeskCore
import Foundation
import Logging
import MCP

/// `deskpilot mcp`: the desktop as Model Context Protocol tools.
///
/// Tools: `screenshot` (an image), `click`, `double_click`, `right_click`, `move`, `drag`, `scroll`, `key`,
/// `type`, `locate` (when local grounding is available) and `run_task`. Every action goes through the
/// policy engine; nobody can answer a confirmation over MCP, so a `confirm` decision is a denial whose
/// reason is in the tool result (and a job's `call_user` ends it with exit 5).
public final class MCPToolServer: Sendable {
    public let display: any DaemonDisplay
    public let queue: JobQueue
    public let actions: DirectActions
    let planner: JobRequestParser
    let locator: (any TextLocating)?
    let version: String
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
        self.runTimeout = runTimeout
    }

    /// The tools offered.
    public var tools: [Tool] {
        func schema(_ properties: [String: Value], required: [String]) -> Value {
            .object(["type": .string("object"), "properties": .object(properties),
                     "required": .array(required.map { .string($0) }), "additionalProperties": .bool(false)])
        }
        let int: Value = .object(["type": .string("integer")])
        let str: Value = .object(["type": .string("string")])
        let xy: [String: Value] = ["x": int, "y": int]
        var list: [Tool] = [
            Tool(name: "screenshot", description: "A PNG screenshot of the whole screen (\(display.screenSize.width)x\(display.screenSize.height)). Coordinates of the other tools are pixels of this image.",
                 inputSchema: schema([:], required: [])),
            Tool(name: "click", description: "Click at (x, y) in screen pixels; button left (default), middle or right.",
                 inputSchema: schema(xy.merging(["button": .object(["type": .string("string"),
                                                                     "enum": .array([.string("left"), .string("middle"), .string("right")])])]) { a, _ in a },
                                     required: ["x", "y"])),
            Tool(name: "double_click", description: "Double-click at (x, y).", inputSchema: schema(xy, required: ["x", "y"])),
            Tool(name: "right_click", description: "Right-click at (x, y).", inputSchema: schema(xy, required: ["x", "y"])),
            Tool(name: "move", description: "Move the pointer to (x, y).", inputSchema: schema(xy, required: ["x", "y"])),
            Tool(name: "drag", description: "Drag with the left button from (x, y) to (to_x, to_y).",
                 inputSchema: schema(xy.merging(["to_x": int, "to_y": int]) { a, _ in a }, required: ["x", "y", "to_x", "to_y"])),
            Tool(name: "scroll", description: "Scroll up, down, left or right by amount notches (default 3), at (x, y) or at the pointer.",
                 inputSchema: schema(xy.merging(["direction": str, "amount": int]) { a, _ in a }, required: ["direction"])),
            Tool(name: "key", description: "Press a key chord such as ctrl+s, alt+F4 or Return.",
                 inputSchema: schema(["keys": str], required: ["keys"])),
            Tool(name: "type", description: "Type text exactly as given (\\n is Return).",
                 inputSchema: schema(["text": str], required: ["text"])),
            Tool(name: "run_task", description: "Run a deskpilot task (task_yaml or task_path) or a natural-language goal (needs endpoint/model/dialect or the server's DESKPILOT_ENDPOINT) to its end; returns how it ended and where its trace is.",
                 inputSchema: schema(["task_yaml": str, "task_path": str, "goal": str, "endpoint": str, "model": str,
                                      "dialect": str, "policy": str, "max_steps": int, "max_duration": str,
                                      "dry_run": .object(["type": .string("boolean")])], required: [])),
        ]
        if locator != nil {
            list.insert(Tool(name: "locate", description: "Find text on the screen (local OCR); returns boxes and click points.",
                             inputSchema: schema(["text": str], required: ["text"])), at: 1)
        }
        return list
    }

    /// A server with the tool handlers installed (not started).
    public func makeServer() async -> Server {
        let server = Server(name: "deskpilot", version: version, capabilities: .init(tools: .init(listChanged: false)))
        let tools = self.tools
        await server.withMethodHandler(ListTools.self) { _ in .init(tools: tools) }
        await server.withMethodHandler(CallTool.self) { [self] params in
            await call(params.name, arguments: params.arguments ?? [:])
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

    /// Runs one tool call.
    public func call(_ name: String, arguments: [String: Value]) async -> CallTool.Result {
        do {
            switch name {
            case "screenshot":
                let png = try await DaemonRouter.offPool { [display] in try display.screenshotPNG() }
                return .init(content: [
                    .image(data: Data(png).base64EncodedString(), mimeType: "image/png", annotations: nil, _meta: nil),
                    .text(text: "screen \(display.screenSize.width)x\(display.screenSize.height)", annotations: nil, _meta: nil),
                ], isError: false)
            case "click", "double_click", "right_click", "move", "drag", "scroll", "key", "type":
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
                if result.executed { return Self.text("\(result.action): done", error: false) }
                if let error = result.error { return Self.text("\(result.action) failed: \(error)", error: true) }
                return Self.text("\(result.action) refused by the policy (\(result.rule ?? result.decision)): \(result.reason)",
                                 error: true)
            case "locate":
                guard let locator else { return Self.text("locate needs local grounding, which is not available", error: true) }
                guard case .string(let text)? = arguments["text"], !text.isEmpty else {
                    return Self.text("locate needs a non-empty 'text'", error: true)
                }
                let display = self.display
                let found = try await DaemonRouter.offPool { try locator.locate(text, on: display) }
                if found.isEmpty { return Self.text("'\(text)' is not on the screen", error: true) }
                let data = try DaemonJSON.encoder.encode(found)
                return Self.text(String(decoding: data, as: UTF8.self), error: false)
            case "run_task":
                return try await runTask(arguments)
            default:
                return Self.text("unknown tool '\(name)'", error: true)
            }
        } catch let error as APIError {
            return Self.text(error.message, error: true)
        } catch {
            return Self.text("\(error)", error: true)
        }
    }

    private func runTask(_ arguments: [String: Value]) async throws -> CallTool.Result {
        let body = try DaemonJSON.encoder.encode(JSONValue.object(Self.json(arguments)))
        let plan = try planner.plan(from: [UInt8](body))
        let job: Job
        do {
            job = try await queue.submit(plan)
        } catch {
            return Self.text(error.description, error: true)
        }
        let deadline = Date().addingTimeInterval(runTimeout)
        while !job.currentState.isFinal {
            if Date() > deadline {
                _ = await queue.stop(job.id, reason: "run_task took longer than \(Int(runTimeout)) s")
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        let s = job.snapshot()
        var text = "\(s.state.rawValue) (exit \(s.exitCode ?? -1)) after \(s.steps) step\(s.steps == 1 ? "" : "s")"
        if let reason = s.reason { text += ": \(reason)" }
        if let trace = s.traceDir { text += "\ntrace: \(trace)" }
        return Self.text(text, error: s.state != .succeeded)
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
