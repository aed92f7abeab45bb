import DeskCore
import DeskModels
import FlyingFox
import FlyingSocks
import Foundation

/// FlyingFox has its own `JSONValue`; this file means DeskCore's.
typealias JSON = DeskCore.JSONValue

/// A model server on loopback that answers from a script and records every request: the stand-in model for
/// tests and for people developing a dialect, for each API deskpilot speaks.
///
/// `POST /v1/chat/completions` (also `/chat/completions`), `POST /v1/messages` (Anthropic) and
/// `POST /v1/responses` (OpenAI Responses) each take the next ``ScriptedReply``;
/// `GET /v1/models` lists ``modelName``. When the script runs out, requests get HTTP 410 with a message
/// saying so (not retryable, so a client fails fast instead of looping).
public final class ScriptedModelServer: Sendable {
    /// The base URL clients use as their endpoint (`http://127.0.0.1:PORT/v1`).
    public let baseURL: URL
    public let port: UInt16
    public let modelName: String
    /// The API whose base URL ``baseURL`` is.
    public let api: API
    private let server: HTTPServer
    private let task: Task<Void, any Error>
    private let state: State

    actor State {
        var replies: [ScriptedReply]
        var next = 0
        var requests: [RecordedRequest] = []
        let recordFile: URL?

        init(replies: [ScriptedReply], recordFile: URL?) {
            self.replies = replies
            self.recordFile = recordFile
        }

        func record(_ r: RecordedRequest) {
            requests.append(r)
            guard let recordFile else { return }
            let line = Data((r.jsonLine(index: requests.count - 1) + "\n").utf8)
            if let h = try? FileHandle(forWritingTo: recordFile) {
                _ = try? h.seekToEnd()
                try? h.write(contentsOf: line)
                try? h.close()
            } else {
                try? line.write(to: recordFile)
            }
        }

        func take() -> (ScriptedReply?, Int) {
            guard next < replies.count else { return (nil, replies.count) }
            defer { next += 1 }
            return (replies[next], next)
        }

        func append(_ more: [ScriptedReply]) { replies += more }
    }

    /// The wire protocols the server speaks; each decides the base URL a client is given.
    public enum API: String, Sendable, CaseIterable {
        case openAIChat = "openai-chat"
        /// Base `http://127.0.0.1:PORT` (the provider appends `/v1/messages`, as for api.anthropic.com).
        case anthropic
        case openAIResponses = "openai-responses"
    }

    private init(baseURL: URL, port: UInt16, modelName: String, api: API, server: HTTPServer, task: Task<Void, any Error>, state: State) {
        self.api = api
        self.baseURL = baseURL
        self.port = port
        self.modelName = modelName
        self.server = server
        self.task = task
        self.state = state
    }

    /// Starts a server on 127.0.0.1 (`port` 0 picks a free one) and waits until it listens.
    /// - Parameter recordFile: when set, every request is appended to it as a JSON line (key redacted).
    public static func start(script: [ScriptedReply], port: UInt16 = 0, modelName: String = "scripted-model",
                             recordFile: URL? = nil, api: API = .openAIChat) async throws -> ScriptedModelServer {
        let state = State(replies: script, recordFile: recordFile)
        let config = HTTPServer.Configuration(address: try sockaddr_in.inet(ip4: "127.0.0.1", port: port), timeout: 600,
                                              sharedRequestReplaySize: 64 << 20, logger: .disabled)
        let server = HTTPServer(config: config)
        let model = modelName
        let handler: @Sendable (HTTPRequest) async throws -> HTTPResponse = { request in
            try await Self.handle(request, state: state, modelName: model)
        }
        await server.appendRoute("POST /v1/chat/completions", handler: handler)
        await server.appendRoute("POST /chat/completions", handler: handler)
        for route in ["POST /v1/messages", "POST /messages", "POST /v1/responses", "POST /responses"] {
            await server.appendRoute(HTTPRoute(route), handler: handler)
        }
        await server.appendRoute("GET /v1/models", handler: handler)
        await server.appendRoute("GET /models", handler: handler)
        let task = Task { try await server.run() }
        do {
            try await server.waitUntilListening(timeout: 10)
        } catch {
            task.cancel()
            throw error
        }
        guard case .ip4(_, let bound)? = await server.listeningAddress,
              let url = URL(string: "http://127.0.0.1:\(bound)" + (api == .anthropic ? "" : "/v1")) else {
            task.cancel()
            throw ServerError(message: "the scripted model server did not report its port")
        }
        return ScriptedModelServer(baseURL: url, port: bound, modelName: modelName, api: api, server: server, task: task, state: state)
    }

    /// A failure to start the server.
    public struct ServerError: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// Every request received so far, in order.
    public var requests: [RecordedRequest] { get async { await state.requests } }

    /// Adds replies to the end of the script.
    public func append(_ replies: [ScriptedReply]) async { await state.append(replies) }

    /// Stops listening and closes connections (a reply still sleeping is cut off).
    public func stop() async {
        await server.stop(timeout: 0.5)
        task.cancel()
    }

    static func handle(_ request: HTTPRequest, state: State, modelName: String) async throws -> HTTPResponse {
        let body = try await request.bodyData
        var headers: [String: String] = [:]
        for (k, v) in request.headers { headers[k.rawValue.lowercased()] = v }
        await state.record(RecordedRequest(method: request.method.rawValue, path: request.path, headers: headers, body: body))
        if request.method == .GET {
            let list: JSON = .object(["object": .string("list"), "data": .array([
                .object(["id": .string(modelName), "object": .string("model"), "owned_by": .string("deskpilot")]),
            ])])
            return json(200, list)
        }
        let (next, index) = await state.take()
        guard let reply = next else {
            return json(410, .object(["error": .object(["message": .string("deskpilot-model-server: script exhausted after \(index) replies"),
                                                        "type": .string("script_exhausted")])]))
        }
        if reply.delay > 0 { try await Task.sleep(for: .seconds(reply.delay)) }
        var responseHeaders = HTTPHeaders()
        for (k, v) in reply.headers { responseHeaders[HTTPHeader(k)] = v }
        if let json = reply.json {
            responseHeaders[.contentType] = "application/json"
            return HTTPResponse(statusCode: HTTPStatusCode(reply.status, phrase: reply.status == 200 ? "OK" : "Scripted"),
                                headers: responseHeaders, body: (try? JSONEncoder().encode(json)) ?? Data())
        }
        if let raw = reply.body {
            return HTTPResponse(statusCode: HTTPStatusCode(reply.status, phrase: "Scripted"), headers: responseHeaders,
                                body: Data(raw.utf8))
        }
        let completion = ChatResponse(
            id: "chatcmpl-\(index)", model: modelName,
            choices: [.init(index: 0, message: .init(content: MarkReference.fill(reply.content ?? "", request: body),
                                                     reasoningContent: reply.reasoningContent))],
            usage: reply.usage)
        var data = (try? JSONEncoder().encode(completion)) ?? Data()
        if reply.status != 200 { data = Data() }
        responseHeaders[.contentType] = "application/json"
        return HTTPResponse(statusCode: HTTPStatusCode(reply.status, phrase: reply.status == 200 ? "OK" : "Scripted"),
                            headers: responseHeaders, body: data)
    }

    static func json(_ status: Int, _ value: JSON) -> HTTPResponse {
        HTTPResponse(statusCode: HTTPStatusCode(status, phrase: status == 200 ? "OK" : "Error"),
                     headers: [.contentType: "application/json"],
                     body: (try? JSONEncoder().encode(value)) ?? Data())
    }
}
