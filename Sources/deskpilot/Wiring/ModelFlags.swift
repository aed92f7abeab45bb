import ArgumentParser
import DeskCore
import DeskModels
import Foundation

/// The model options of `agent` and `run`: `--endpoint --model --dialect` (falling back to
/// `DESKPILOT_ENDPOINT`/`_MODEL`/`_DIALECT`, then `~/.config/deskpilot/config.yaml`) and decoding settings.
struct ModelFlags: ParsableArguments {
    @Option(name: .long, help: "OpenAI-compatible API base URL, e.g. http://127.0.0.1:8000/v1 (default: $DESKPILOT_ENDPOINT).")
    var endpoint: String?

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
    }

    /// The resolved options; the endpoint may still be missing (a task without goals needs none).
    func resolve() throws -> ModelOptions {
        var options = try ModelOptions.load(endpoint: endpoint, model: model, dialect: dialect)
        if let temperature { options.temperature = temperature }
        if let maxTokens { options.maxTokens = maxTokens }
        if let timeout, let seconds = DurationText.seconds(timeout) { options.timeout = seconds }
        return options
    }
}
