import DeskCore
import Foundation

/// Where and how to reach the model: the CLI's model options, resolved flag → environment → config file.
///
/// `--endpoint URL --model NAME --dialect D` win; then `DESKPILOT_ENDPOINT`, `DESKPILOT_MODEL`,
/// `DESKPILOT_DIALECT`; then `endpoint:`, `model:`, `dialect:` in `~/.config/deskpilot/config.yaml`.
/// The API key only ever comes from `DESKPILOT_API_KEY` or `OPENAI_API_KEY`, and ``description``
/// never shows it.
public struct ModelOptions: Sendable, Hashable, CustomStringConvertible, CustomReflectable {
    /// The OpenAI-compatible base URL (`http://127.0.0.1:8000/v1`), or a full `…/chat/completions` URL.
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
    /// Seed/Doubao `thinking` switch; `nil` sends nothing.
    public var thinking: Bool?

    /// The dialect used when nothing names one.
    public static let defaultDialect = "ui-tars-1.5"
    public static let defaultTimeout = 60.0

    public init(endpoint: URL? = nil, model: String? = nil, dialect: String = ModelOptions.defaultDialect,
                apiKey: String? = nil, temperature: Double? = nil, topP: Double? = nil, maxTokens: Int? = nil,
                timeout: Double = ModelOptions.defaultTimeout, retry: RetryPolicy = RetryPolicy(), thinking: Bool? = nil) {
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
    }

    /// Resolves the three names from flags, `environment` and the config file's text (`nil` when the
    /// file does not exist). `configPath` is only used in messages.
    public static func resolve(endpoint: String? = nil, model: String? = nil, dialect: String? = nil,
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
        if let (text, origin) = pick(endpoint, "--endpoint", "DESKPILOT_ENDPOINT", "endpoint") {
            guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
                  url.host != nil else {
                throw InputError("\(origin): endpoint '\(text)' is not an http(s) URL such as http://127.0.0.1:8000/v1")
            }
            options.endpoint = url
        }
        options.model = pick(model, "--model", "DESKPILOT_MODEL", "model")?.value
        if let d = pick(dialect, "--dialect", "DESKPILOT_DIALECT", "dialect")?.value { options.dialect = d }
        for name in ["DESKPILOT_API_KEY", "OPENAI_API_KEY"] {
            if let k = environment[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !k.isEmpty {
                options.apiKey = k
                break
            }
        }
        return options
    }

    /// Resolves from the process environment and the user's config file.
    public static func load(endpoint: String? = nil, model: String? = nil, dialect: String? = nil,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws(InputError) -> ModelOptions {
        let path = configPath(environment: environment)
        var text: String?
        if FileManager.default.fileExists(atPath: path) {
            do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
                throw InputError("\(path): cannot read the config file: \(error.localizedDescription)")
            }
        }
        return try resolve(endpoint: endpoint, model: model, dialect: dialect, environment: environment,
                           configText: text, configPath: path)
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

    public var description: String {
        "endpoint \(endpoint?.absoluteString ?? "(none)"), model \(model ?? "(none)"), dialect \(dialect), "
            + "API key \(apiKey == nil ? "not set" : "set"), timeout \(timeout.formatted) s, retries \(retry.maxRetries)"
    }

    /// Mirrors without the key, so `dump()` and string interpolation in logs never print it.
    public var customMirror: Mirror {
        Mirror(self, children: ["endpoint": endpoint as Any, "model": model as Any, "dialect": dialect,
                                "apiKey": apiKey == nil ? "not set" : "<redacted>", "timeout": timeout])
    }
}
