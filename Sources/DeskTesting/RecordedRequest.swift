import DeskCore
import DeskModels
import Foundation

/// A request ``ScriptedModelServer`` received, kept for assertions.
public struct RecordedRequest: Sendable, Hashable {
    public var method: String
    public var path: String
    /// Header names lower-cased.
    public var headers: [String: String]
    public var body: Data

    public init(method: String, path: String, headers: [String: String], body: Data) {
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
    }

    /// The body as a chat request.
    public func chatRequest() throws -> ChatRequest { try JSONDecoder().decode(ChatRequest.self, from: body) }

    /// The body as generic JSON.
    public var json: JSONValue? { JSONValue.parse(body) }

    /// One JSONL line for a record file; the `Authorization` header is redacted (never log a key).
    public func jsonLine(index: Int) -> String {
        var h = headers
        for name in ["authorization", "x-api-key", "api-key"] where h[name] != nil { h[name] = "<redacted>" }
        let body: JSONValue = json ?? .string(String(decoding: body, as: UTF8.self))
        let v: JSONValue = .object(["index": .number(Double(index)), "method": .string(method), "path": .string(path),
                                    "headers": .object(h.mapValues { .string($0) }), "body": body])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(v)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
