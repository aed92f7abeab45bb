import DeskCore
import Foundation

/// Where and how to reach the model: the CLI's model options, resolved flag → environment → config file.
///
/// `--provider P --endpoint URL --model NAME --dialect D` win; then `DESKPILOT_PROVIDER`, `DESKPILOT_ENDPOINT`,
/// `DESKPILOT_MODEL`, `DESKPILOT_DIALECT`; then `provider:`, `endpoint:`, `model:`, `dialect:` in
/// `~/.config/deskpilot/config.yaml`. The API key comes from `--api-key-file`, else the provider's own variable
/// (`ANTHROPIC_API_KEY`, `OPENAI_API_KEY` — never another vendor's), else `DESKPILOT_API_KEY`; ``description``
/// and mirrors never show it.
public struct ModelOptions: Sendable, Hashable, CustomStringConvertible, CustomReflectable {
    /// The wire protocol (`openai-chat`, `anthropic`, `openai-responses`).
    public var provider: String
    /// The vendor's documented base URL (`http://127.0.0.1:8000/v1`, `https://api.anthropic.com`); the
    /// provider appends its own path.
    public var endpoint: URL?
    public var model: String?
    public var dialect: String
    public var apiKey: String?
    public var temperature: Double?
    public var topP: Double?
    public var maxTokens: Int?
    /// Seconds to wait for one answer.
    public var timeout: Double
    public var retry: RetryPolicy
    /// Seed/Doubao `thinking` switch; `nil` sends nothing. Anthropic: extended thinking on.
    public var thinking: Bool?
    /// Replies larger than this many bytes end the run (`--max-reply-bytes`, default 1 MiB).
    public var maxReplyBytes: Int
    /// The computer tool's version (`computer_20250124`, `computer_20251124`, `computer_use_preview`, `computer`);
    /// nil takes the provider's default.
    public var toolVersion: String?
    /// OpenAI Responses: replay every input item instead of chaining by `previous_response_id`.
    public var stateless: Bool

    /// The reply cap when nothing sets one: 1 MiB.
    public static let defaultMaxReplyBytes = 1 << 20

    /// The dialect used when nothing names one.
    public static let defaultDialect = "ui-tars-1.5"
    public static let defaultTimeout = 60.0

    public init(provider: String = ProviderRegistry.defaultName, endpoint: URL? = nil, model: String? = nil,
                dialect: String = ModelOptions.defaultDialect,
                apiKey: String? = nil, temperature: Double? = nil, topP: Double? = nil, maxTokens: Int? = nil,
                timeout: Double = ModelOptions.defaultTimeout, retry: RetryPolicy = RetryPolicy(), thinking: Bool? = nil,
                maxReplyBytes: Int = ModelOptions.defaultMaxReplyBytes, toolVersion: String? = nil, stateless: Bool = false) {
        self.provider = provider
        self.endpoint = endpoint
        self.model = model
        self.dialect = dialect
        self.apiKey = apiKey
        self.temperature = temperature
        self.topP = topP
        self.maxTokens = maxTokens
        self.timeout = timeout
        self.retry = retry
        self.thinking = thinking
        self.maxReplyBytes = max(1, maxReplyBytes)
        self.toolVersion = toolVersion
        self.stateless = stateless
    }

    /// Resolves the three names from flags, `environment` and the config file's text (`nil` when the
    /// file does not exist). `configPath` is only used in messages.
    public static func resolve(provider: String? = nil, endpoint: String? = nil, model: String? = nil, dialect: String? = nil,
                               apiKeyFile: String? = nil,
                               environment: [String: String], configText: String?,
                               configPath: String = "~/.config/deskpilot/config.yaml") throws(InputError) -> ModelOptions {
        let config = try configText.map { (t) throws(InputError) in try ModelConfigFile.parse(t, path: configPath) } ?? [:]
        func pick(_ flag: String?, _ flagName: String, _ env: String, _ key: String) -> (value: String, origin: String)? {
            if let v = flag?.trimmingCharacters(in: .whitespaces), !v.isEmpty { return (v, flagName) }
            if let v = environment[env]?.trimmingCharacters(in: .whitespaces), !v.isEmpty { return (v, env) }
            if let v = config[key], !v.value.isEmpty { return (v.value, "\(configPath):\(v.line)") }
            return nil
        }
        var options = ModelOptions()
        if let (name, origin) = pick(provider, "--provider", "DESKPILOT_PROVIDER", "provider") {
            do { options.provider = try ProviderRegistry.named(name).name } catch {
                throw InputError("\(origin): \(error.message)")
            }
        }
        let wire = (try? ProviderRegistry.named(options.provider)) ?? .openAIChat
        if let (text, origin) = pick(endpoint, "--endpoint", "DESKPILOT_ENDPOINT", "endpoint") {
            guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
                  url.host != nil else {
                throw InputError("\(origin): endpoint '\(text)' is not an http(s) URL such as http://127.0.0.1:8000/v1")
            }
            options.endpoint = url
        }
        options.model = pick(model, "--model", "DESKPILOT_MODEL", "model")?.value
        if let d = pick(dialect, "--dialect", "DESKPILOT_DIALECT", "dialect")?.value { options.dialect = d }
        if let apiKeyFile {
            options.apiKey = try readKeyFile(apiKeyFile)
        } else {
            for name in wire.keyVariables {
                if let k = environment[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !k.isEmpty {
                    options.apiKey = k
                    break
                }
            }
        }
        return options
    }

    /// The key in `path` (first line, trimmed); the error names the file, never its content.
    static func readKeyFile(_ path: String) throws(InputError) -> String {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw InputError("--api-key-file \(path): cannot read it: \((error as NSError).localizedFailureReason ?? "no such file or not readable")")
        }
        let text = String(decoding: data.prefix(64 << 10), as: UTF8.self)
        let key = text.split(whereSeparator: \.isNewline).first.map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
        guard !key.isEmpty else { throw InputError("--api-key-file \(path): the file is empty") }
        return key
    }

    /// Resolves from the process environment and the user's config file.
    public static func load(provider: String? = nil, endpoint: String? = nil, model: String? = nil, dialect: String? = nil,
                            apiKeyFile: String? = nil,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws(InputError) -> ModelOptions {
        let path = configPath(environment: environment)
        var text: String?
        if FileManager.default.fileExists(atPath: path) {
            do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
                throw InputError("\(path): cannot read the config file: \(error.localizedDescription)")
            }
        }
        return try resolve(provider: provider, endpoint: endpoint, model: model, dialect: dialect, apiKeyFile: apiKeyFile,
                           environment: environment, configText: text, configPath: path)
    }

    /// `$XDG_CONFIG_HOME/deskpilot/config.yaml`, else `~/.config/deskpilot/config.yaml`.
    public static func configPath(environment: [String: String]) -> String {
        if let x = environment["XDG_CONFIG_HOME"], x.hasPrefix("/") { return x + "/deskpilot/config.yaml" }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + "/.config/deskpilot/config.yaml"
    }

    /// The endpoint, or a usage error saying the three ways to give one.
    public func requireEndpoint() throws(InputError) -> URL {
        guard let endpoint else {
            throw InputError("no model endpoint: pass --endpoint URL, set DESKPILOT_ENDPOINT, or put 'endpoint: URL' in ~/.config/deskpilot/config.yaml")
        }
        return endpoint
    }

    /// The chat-completions URL for `endpoint`: `…/chat/completions` appended unless already there.
    public static func chatCompletionsURL(for endpoint: URL) -> URL {
        let s = endpoint.absoluteString
        if s.hasSuffix("/chat/completions") { return endpoint }
        let base = s.hasSuffix("/") ? String(s.dropLast()) : s
        return URL(string: base + "/chat/completions") ?? endpoint
    }

    /// The provider these options name (the default when the name is unknown; ``resolve`` refuses those).
    public var wire: ModelProvider { (try? ProviderRegistry.named(provider)) ?? .openAIChat }

    public var description: String {
        "provider \(provider), endpoint \(endpoint?.absoluteString ?? "(none)"), model \(model ?? "(none)"), dialect \(dialect), "
            + "API key \(apiKey == nil ? "not set" : "set"), timeout \(timeout.formatted) s, retries \(retry.maxRetries)"
    }

    /// Mirrors without the key, so `dump()` and string interpolation in logs never print it.
    public var customMirror: Mirror {
        Mirror(self, children: ["provider": provider, "endpoint": endpoint as Any, "model": model as Any, "dialect": dialect,
                                "apiKey": apiKey == nil ? "not set" : "<redacted>", "timeout": timeout])
    }
}
