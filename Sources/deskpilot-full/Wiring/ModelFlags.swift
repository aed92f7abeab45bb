import ArgumentParser
import DeskCore
import DeskModels
import Foundation

/// The model options of `agent` and `run`: `--endpoint --model --dialect` (falling back to
/// `DESKPILOT_ENDPOINT`/`_MODEL`/`_DIALECT`, then `~/.config/deskpilot/config.yaml`) and decoding settings.
struct ModelFlags: ParsableArguments {
    @Option(name: .long, help: "Wire protocol: \(ProviderRegistry.names.joined(separator: ", ")) (default: $DESKPILOT_PROVIDER or openai-chat).")
    var provider: String?

    @Option(name: .long, help: "The API's base URL as the vendor documents it, e.g. http://127.0.0.1:8000/v1 or https://api.anthropic.com; the provider appends its path (default: $DESKPILOT_ENDPOINT).")
    var endpoint: String?

    @Option(name: .long, help: "Read the API key from this file (else $ANTHROPIC_API_KEY / $OPENAI_API_KEY for the provider, then $DESKPILOT_API_KEY).")
    var apiKeyFile: String?

    @Option(name: .long, help: "Computer tool version: computer_20250124 (default), computer_20251124, computer_20241022 (anthropic); computer_use_preview (default), computer (openai-responses).")
    var toolVersion: String?

    @Flag(name: .long, help: "openai-responses: replay every input item instead of chaining by previous_response_id (servers that keep no state).")
    var stateless = false

    @Flag(name: .long, help: "Ask for the model's extended thinking (anthropic) or reasoning summaries (openai-responses).")
    var thinking = false

    @Option(name: .long, help: "Largest model reply accepted, in bytes (default 1048576); a larger one ends the run.")
    var maxReplyBytes: Int?

    @Option(name: .long, help: "Model name the server knows (default: $DESKPILOT_MODEL).")
    var model: String?

    @Option(name: .long, help: "Answer format: \(DialectRegistry.names.joined(separator: ", ")) (default: $DESKPILOT_DIALECT or \(ModelOptions.defaultDialect)).")
    var dialect: String?

    @Option(name: .long, help: "Sampling temperature (default: the dialect's, usually 0).")
    var temperature: Double?

    @Option(name: .long, help: "Most tokens per answer (default: the dialect's).")
    var maxTokens: Int?

    @Option(name: .long, help: "How long to wait for one answer, e.g. 60s (default 60s).")
    var timeout: String?

    func validate() throws {
        if let timeout, DurationText.seconds(timeout).map({ $0 > 0 }) != true {
            throw ValidationError("--timeout wants a duration such as 30s or 2m (got '\(timeout)')")
        }
        if let temperature, !(0...2).contains(temperature) { throw ValidationError("--temperature must be between 0 and 2") }
        if let maxTokens, maxTokens < 1 { throw ValidationError("--max-tokens must be at least 1") }
        if let maxReplyBytes, maxReplyBytes < 1024 { throw ValidationError("--max-reply-bytes must be at least 1024") }
    }

    /// The resolved options; the endpoint may still be missing (a task without goals needs none).
    func resolve() throws -> ModelOptions {
        var options = try ModelOptions.load(provider: provider, endpoint: endpoint, model: model, dialect: dialect,
                                            apiKeyFile: apiKeyFile)
        if let maxReplyBytes { options.maxReplyBytes = maxReplyBytes }
        if let toolVersion { options.toolVersion = toolVersion }
        if stateless { options.stateless = true }
        if thinking { options.thinking = true }
        if let temperature { options.temperature = temperature }
        if let maxTokens { options.maxTokens = maxTokens }
        if let timeout, let seconds = DurationText.seconds(timeout) { options.timeout = seconds }
        return options
    }
}
