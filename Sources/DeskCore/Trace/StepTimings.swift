/// Where the time of one step went, in milliseconds; a stage that did not run is absent.
public struct StepTimings: Sendable, Hashable, Codable {
    public var captureMs: Double?
    public var encodeMs: Double?
    public var requestMs: Double?
    public var modelMs: Double?
    public var parseMs: Double?
    public var policyMs: Double?
    public var actMs: Double?
    public var settleMs: Double?
    public var traceMs: Double?

    public init(captureMs: Double? = nil, encodeMs: Double? = nil, requestMs: Double? = nil,
                modelMs: Double? = nil, parseMs: Double? = nil, policyMs: Double? = nil, actMs: Double? = nil,
                settleMs: Double? = nil, traceMs: Double? = nil) {
        self.captureMs = captureMs
        self.encodeMs = encodeMs
        self.requestMs = requestMs
        self.modelMs = modelMs
        self.parseMs = parseMs
        self.policyMs = policyMs
        self.actMs = actMs
        self.settleMs = settleMs
        self.traceMs = traceMs
    }

    enum CodingKeys: String, CodingKey {
        case captureMs = "capture_ms", encodeMs = "encode_ms", requestMs = "request_ms", modelMs = "model_ms"
        case parseMs = "parse_ms", policyMs = "policy_ms", actMs = "act_ms", settleMs = "settle_ms"
        case traceMs = "trace_ms"
    }

    /// The stages in pipeline order with their names as written on disk, for reports.
    public var named: [(name: String, ms: Double)] {
        let all: [(String, Double?)] = [("capture", captureMs), ("encode", encodeMs), ("request", requestMs),
                                        ("model", modelMs), ("parse", parseMs), ("policy", policyMs),
                                        ("act", actMs), ("settle", settleMs), ("trace", traceMs)]
        return all.compactMap { name, ms in ms.map { (name, $0) } }
    }
}
