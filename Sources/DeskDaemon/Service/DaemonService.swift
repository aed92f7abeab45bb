import DeskCore
import Foundation

/// The whole daemon: displays, job queue, router and socket server, with an orderly shutdown.
///
/// Shutdown order: stop accepting jobs, stop queued and running jobs (each at its next safe point, keys
/// released, trace closed), close the sockets (the socket file is removed), then stop the displays'
/// private Xvfbs.
public final class DaemonService: Sendable {
    public let settings: DaemonSettings
    public let queue: JobQueue
    public let router: DaemonRouter
    public let server: ControlServer
    let log: @Sendable (String) -> Void
    private let state = ShutdownState()

    public init(displays: [any DaemonDisplay], settings: DaemonSettings, allowedUID: UInt32 = geteuid(),
                log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.settings = settings
        self.log = log
        let queue = JobQueue(displays: displays, runner: JobRunner(settings: settings), log: log)
        self.queue = queue
        let router = DaemonRouter(queue: queue, settings: settings)
        self.router = router
        server = ControlServer(handler: { await router.handle($0) },
                               limits: HTTPRequestParser.Limits(maxBodyBytes: settings.maxBodyBytes),
                               listenerLimits: settings.listenerLimits, allowedUID: allowedUID, log: log)
    }

    /// Binds the Unix socket (and the optional TCP listener) and starts serving.
    public func start(socketPath: String, tcp: (host: String, port: UInt16, token: String)? = nil) async throws {
        try SocketLocation.prepareDirectory(for: socketPath)
        try server.bindUnix(path: socketPath)
        if let tcp {
            let port = try server.bindTCP(host: tcp.host, port: tcp.port, token: tcp.token)
            log("also listening on \(tcp.host):\(port) (bearer token required)")
        }
        try await server.start()
    }

    /// Shuts everything down once; later calls wait for the first to finish.
    public func shutdown(reason: String) async {
        guard await state.begin() else {
            await state.waitUntilDone()
            return
        }
        log("shutting down: \(reason)")
        await queue.shutdown(reason: reason)
        await server.stop()
        // Stopping an Xvfb waits for it to exit: keep that off the shared pool.
        let displays = queue.displays
        _ = try? await DaemonRouter.offPool { for display in displays { display.shutdown() } }
        await state.finish()
        log("stopped")
    }
}

/// Makes shutdown happen once, and lets later callers wait for it.
actor ShutdownState {
    private var started = false
    private var done = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func begin() -> Bool {
        if started { return false }
        started = true
        return true
    }

    func finish() {
        done = true
        for waiter in waiters { waiter.resume() }
        waiters.removeAll()
    }

    func waitUntilDone() async {
        if done { return }
        await withCheckedContinuation { waiters.append($0) }
    }
}
