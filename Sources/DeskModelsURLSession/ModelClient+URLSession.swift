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
