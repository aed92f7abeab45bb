import DeskCore
import Foundation

/// A wire protocol to a model: where requests go, how they authenticate, which API-key variable belongs
/// to it. The action format inside is the dialect's (chat completions) or the provider's own computer tool
/// (Anthropic Messages, OpenAI Responses). Adding a provider is one of these in ``ProviderRegistry``.
public struct ModelProvider: Sendable, Hashable {
    /// The name `--provider` takes.
    public var name: String
    /// One line for `--help` and the README.
    public var summary: String
    /// The path appended to `--endpoint` (the vendor's documented base URL).
    public var path: String
    /// Appended instead of ``path`` when the base already ends in this suffix (Anthropic: a base ending in
    /// `/v1` gets `/messages`, not `/v1/messages`).
    public var pathAfterVersion: (suffix: String, path: String)?
    /// The vendor's own API-key variable, read before `DESKPILOT_API_KEY`. Never another vendor's.
    public var keyVariable: String
    /// True when the provider carries a dialect (chat completions); false when it has its own computer tool.
    public var usesDialect: Bool
    /// Starts one run's conversation (providers with their own computer tool): options, goal, screenshots to
    /// keep in the history, transport.
    public var makeSession: (@Sendable (ModelOptions, String, Int, any HTTPTransport) throws(InputError) -> any ComputerToolSession)?

    public init(name: String, summary: String, path: String, pathAfterVersion: (suffix: String, path: String)? = nil,
                keyVariable: String, usesDialect: Bool,
                makeSession: (@Sendable (ModelOptions, String, Int, any HTTPTransport) throws(InputError) -> any ComputerToolSession)? = nil) {
        self.makeSession = makeSession
        self.name = name
        self.summary = summary
        self.path = path
        self.pathAfterVersion = pathAfterVersion
        self.keyVariable = keyVariable
        self.usesDialect = usesDialect
    }

    public static func == (a: ModelProvider, b: ModelProvider) -> Bool { a.name == b.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }

    /// The request URL for `base`: the provider's path appended, unless `base` already ends with it.
    public func url(for base: URL) -> URL {
        var s = base.absoluteString
        while s.hasSuffix("/") { s.removeLast() }
        if s.hasSuffix(path) { return URL(string: s) ?? base }
        if let (suffix, short) = pathAfterVersion, s.hasSuffix(suffix) { return URL(string: s + short) ?? base }
        return URL(string: s + path) ?? base
    }

    /// One run's conversation, when this provider has its own computer tool; a usage error otherwise.
    public func session(options: ModelOptions, goal: String, keepImages: Int = 3,
                        transport: any HTTPTransport) throws(InputError) -> any ComputerToolSession {
        guard let makeSession else { throw InputError("provider \(name) carries a dialect, not a computer tool") }
        return try makeSession(options, goal, keepImages, transport)
    }

    /// The variables an API key is read from, in order.
    public var keyVariables: [String] { [keyVariable, "DESKPILOT_API_KEY"] }

    /// `text` with every occurrence of `key` replaced, so no error line or trace can carry it.
    public static func scrub(_ text: String, key: String?) -> String {
        guard let key, key.count >= 4 else { return text }
        return text.replacingOccurrences(of: key, with: "<redacted>")
    }
}

extension ModelProvider {
    /// OpenAI-compatible chat completions (vLLM, SGLang, llama.cpp, Ollama, OpenAI, Ark): today's default.
    public static let openAIChat = ModelProvider(
        name: "openai-chat", summary: "OpenAI-compatible chat completions (POST {base}/chat/completions); the dialect sets the action format",
        path: "/chat/completions", keyVariable: "OPENAI_API_KEY", usesDialect: true)
    /// Anthropic Messages with the `computer` tool.
    public static let anthropic = ModelProvider(
        name: "anthropic", summary: "Anthropic Messages with the computer tool (POST {base}/v1/messages)",
        path: "/v1/messages", pathAfterVersion: ("/v1", "/messages"), keyVariable: "ANTHROPIC_API_KEY", usesDialect: false,
        makeSession: { options, goal, keep, transport throws(InputError) in
            try AnthropicSession(options: options, goal: goal, keepImages: keep, transport: transport)
        })
    /// OpenAI Responses with the computer tool.
    public static let openAIResponses = ModelProvider(
        name: "openai-responses", summary: "OpenAI Responses with the computer tool (POST {base}/responses)",
        path: "/responses", keyVariable: "OPENAI_API_KEY", usesDialect: false,
        makeSession: { options, goal, _, transport throws(InputError) in
            try ResponsesSession(options: options, goal: goal, transport: transport)
        })
}

/// The providers `--provider` accepts.
public enum ProviderRegistry {
    public static let builtIn: [ModelProvider] = [.openAIChat, .anthropic, .openAIResponses]
    public static let defaultName = ModelProvider.openAIChat.name
    public static var names: [String] { builtIn.map(\.name) }

    /// The provider called `name` (case-insensitive), or a usage error listing the known ones.
    public static func named(_ name: String) throws(InputError) -> ModelProvider {
        let key = name.trimmingCharacters(in: .whitespaces).lowercased()
        if let p = builtIn.first(where: { $0.name == key }) { return p }
        throw InputError("unknown provider '\(name)'; known providers: \(names.joined(separator: ", "))")
    }
}
