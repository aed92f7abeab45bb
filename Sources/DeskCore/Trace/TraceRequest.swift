/// A summary of one model request: the images sent, token usage, retries and model time.
public struct TraceRequest: Sendable, Hashable, Codable {
    public var images: [TraceImage]
    public var promptTokens: Int?
    public var completionTokens: Int?
    /// How many HTTP attempts the request took (1 when nothing was retried).
    public var attempts: Int
    /// Time the model server took, as measured from the client.
    public var modelMs: Double?

    public init(images: [TraceImage], promptTokens: Int? = nil, completionTokens: Int? = nil,
                attempts: Int = 1, modelMs: Double? = nil) {
        self.images = images
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.attempts = attempts
        self.modelMs = modelMs
    }

    enum CodingKeys: String, CodingKey {
        case images, promptTokens = "prompt_tokens", completionTokens = "completion_tokens", attempts
        case modelMs = "model_ms"
    }
}
