import DeskCore
import DeskModels

extension ModelClient {
    /// A client that talks HTTP through ``URLSessionTransport``: what every command uses against a real
    /// endpoint (tests pass their own transport to the designated initializer).
    public init(options: ModelOptions,
                sleep: @escaping @Sendable (Double) async throws -> Void = { try await Task.sleep(for: .seconds($0)) },
                jitter: @escaping @Sendable () -> Double = { Double.random(in: 0...1) }) throws(InputError) {
        try self.init(options: options, transport: URLSessionTransport(), sleep: sleep, jitter: jitter)
    }
}

extension ModelProvider {
    /// One run's computer-tool conversation over ``URLSessionTransport``.
    public func session(options: ModelOptions, goal: String, keepImages: Int = 3) throws(InputError) -> any ComputerToolSession {
        try session(options: options, goal: goal, keepImages: keepImages, transport: URLSessionTransport())
    }
}
