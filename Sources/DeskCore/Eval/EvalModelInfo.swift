/// The model an agent-mode suite ran against (never the API key).
public struct EvalModelInfo: Sendable, Hashable, Codable {
    public var endpoint: String?
    public var model: String?
    public var dialect: String?

    public init(endpoint: String?, model: String?, dialect: String?) {
        self.endpoint = endpoint
        self.model = model
        self.dialect = dialect
    }
}
