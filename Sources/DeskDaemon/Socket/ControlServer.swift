import DeskCore
import FlyingSocks
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The daemon's HTTP/1.1 server: a thin adapter between sockets and a pure request handler.
///
/// It listens on a private Unix socket (and optionally on a loopback TCP port with a bearer token). It has
/// its own accept loop, because it must see each accepted socket to check the peer's uid with
/// `SO_PEERCRED` before reading a byte: only the daemon's own uid (root included only when the daemon runs
/// as root) may talk to it. Streams (Server-Sent Events) are written as they come; a client that goes away
/// only ends its own stream.
public final class ControlServer: @unchecked Sendable {
    /// Where the server listens.
    public enum Endpoint: Sendable, Hashable, CustomStringConvertible {
        case unix(path: String)
        /// Loopback TCP; every request must carry `Authorization: Bearer <token>`.
        case tcp(host: String, port: UInt16, token: String)

        public var description: String {
            switch self {
            case .unix(let path): return path
            case .tcp(let host, let port, _): return "\(host):\(port)"
            }
        }
    }

    public typealias Handler = @Sendable (DaemonRequest) async -> DaemonResponse

    let handler: Handler
    let limits: HTTPRequestParser.Limits
    let log: @Sendable (String) -> Void
    /// The uid allowed on the Unix socket.
    let allowedUID: UInt32
    private let pool: any AsyncSocketPool = SocketPool.make()
    private let lock = NSLock()
    private var listeners: [(socket: Socket, endpoint: Endpoint)] = []
    private var runTask: Task<Void, Never>?
    private var stopping = false
    /// Seconds between keep-alive comments on an idle event stream (they also reveal a client that left).
    let heartbeat: Double

    public init(handler: @escaping Handler, limits: HTTPRequestParser.Limits = .init(), allowedUID: UInt32 = geteuid(),
                heartbeat: Double = 15, log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.handler = handler
        self.limits = limits
        self.allowedUID = allowedUID
        self.heartbeat = heartbeat
        self.log = log
    }

    /// The endpoints bound so far (a TCP port of 0 is replaced by the one the kernel chose).
    public var endpoints: [Endpoint] {
        lock.lock()
        defer { lock.unlock() }
        return listeners.map(\.endpoint)
    }

    /// Binds the Unix socket at `path` (mode 0600). A stale socket file is removed; a live one (another
    /// daemon answers) or any other file there is an error.
    public func bindUnix(path: String) throws {
        var info = stat()
        if lstat(path, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFSOCK else {
                throw SocketSetupError("\(path) exists and is not a socket; remove it or choose another --socket")
            }
            if DaemonClient(socketPath: path, timeout: 1).isAnswering() {
                throw SocketSetupError("a daemon already listens on \(path)")
            }
            unlink(path)
        }
        let socket: Socket
        do {
            socket = try Socket(domain: AF_UNIX, type: .stream)
            let old = umask(0o177)
            defer { umask(old) }
            try socket.bind(to: sockaddr_un.unix(path: path))
        } catch {
            throw SocketSetupError("cannot bind \(path): \(error)")
        }
        chmod(path, 0o600)
        do {
            try socket.listen(maxPendingConnection: 128)
        } catch {
            try? socket.close()
            unlink(path)
            throw SocketSetupError("cannot listen on \(path): \(error)")
        }
        lock.lock()
        listeners.append((socket, .unix(path: path)))
        lock.unlock()
    }

    /// Binds a TCP listener on `host` (an IPv4 address, normally 127.0.0.1) and `port` (0: any free port).
    /// Returns the port.
    @discardableResult
    public func bindTCP(host: String, port: UInt16, token: String) throws -> UInt16 {
        let socket: Socket
        do {
            socket = try Socket(domain: AF_INET, type: .stream)
            try socket.setValue(true, for: .localAddressReuse)
            try socket.bind(to: sockaddr_in.inet(ip4: host, port: port))
            try socket.listen(maxPendingConnection: 128)
        } catch {
            throw SocketSetupError("cannot listen on \(host):\(port): \(error)")
        }
        var actual = port
        if case .ip4(_, let bound)? = try? socket.sockname() { actual = bound }
        lock.lock()
        listeners.append((socket, .tcp(host: host, port: actual, token: token)))
        lock.unlock()
        return actual
    }

    /// Starts serving every bound endpoint; returns once the accept loops run.
    public func start() async throws {
        try await pool.prepare()
        let pool = self.pool
        let listening = endpoints.isEmpty ? [] : lockedListeners()
        let sockets = try listening.map { (try AsyncSocket(socket: $0.socket, pool: pool), $0.endpoint) }
        let task = Task { [self] in
            await withDiscardingTaskGroup { group in
                group.addTask { try? await pool.run() }
                for (socket, endpoint) in sockets {
                    group.addTask { await self.acceptLoop(socket, endpoint: endpoint) }
                }
            }
        }
        lock.withLock { runTask = task }
    }

    private func lockedListeners() -> [(socket: Socket, endpoint: Endpoint)] {
        lock.lock()
        defer { lock.unlock() }
        return listeners
    }

    /// Closes the listeners and every connection, and removes the Unix socket file.
    public func stop() async {
        let (task, list) = lock.withLock {
            let taken = (runTask, listeners)
            stopping = true
            runTask = nil
            listeners.removeAll()
            return taken
        }
        for (socket, endpoint) in list {
            try? socket.close()
            if case .unix(let path) = endpoint { unlink(path) }
        }
        task?.cancel()
        await task?.value
    }

    // MARK: - Connections

    private func acceptLoop(_ listener: AsyncSocket, endpoint: Endpoint) async {
        await withDiscardingTaskGroup { connections in
            while !Task.isCancelled {
                let connection: AsyncSocket
                do {
                    connection = try await listener.accept()
                } catch {
                    if !Task.isCancelled && !lock.withLock({ stopping }) { log("accept on \(endpoint) failed: \(error)") }
                    return
                }
                connections.addTask { await self.serve(connection, endpoint: endpoint) }
            }
        }
    }

    /// Serves one connection: requests in order, keep-alive, until the client closes, asks to close, or a
    /// stream ends.
    func serve(_ socket: AsyncSocket, endpoint: Endpoint) async {
        defer { try? socket.close() }
        var token: String?
        switch endpoint {
        case .unix:
            guard let peer = PeerCredentials.of(socket.socket) else {
                log("refused a connection: the kernel gave no peer credentials")
                return
            }
            guard peer.uid == allowedUID else {
                log("refused a connection from uid \(peer.uid) (pid \(peer.pid)): only uid \(allowedUID) may use this socket")
                let response = DaemonResponse.error(.forbidden,
                    "uid \(peer.uid) may not use this daemon; it accepts only its own uid \(allowedUID)")
                try? await socket.write(Data(HTTPResponseWriter.complete(response, keepAlive: false)))
                return
            }
        case .tcp(_, _, let t):
            token = t
        }
        var parser = HTTPRequestParser(limits: limits)
        while !Task.isCancelled {
            let parsed: HTTPRequestParser.Parsed?
            do {
                parsed = try parser.next()
            } catch {
                let response = DaemonResponse.error(error.status, error.message)
                try? await socket.write(Data(HTTPResponseWriter.complete(response, keepAlive: false)))
                return
            }
            guard let parsed else {
                do {
                    let bytes = try await socket.read(atMost: 65536)
                    if bytes.isEmpty { return }
                    parser.append(bytes)
                } catch {
                    return
                }
                continue
            }
            var response: DaemonResponse
            if let token, !Self.authorized(parsed.request, token: token) {
                response = .error(.unauthorized, "this listener needs 'Authorization: Bearer <token>' (the --token-file's content)",
                                  extra: [("WWW-Authenticate", "Bearer")])
            } else {
                response = await handler(parsed.request)
            }
            switch response.body {
            case .bytes:
                do {
                    try await socket.write(Data(HTTPResponseWriter.complete(response, keepAlive: parsed.keepAlive)))
                } catch {
                    return
                }
                if !parsed.keepAlive { return }
            case .stream(let chunks):
                await stream(chunks, head: HTTPResponseWriter.head(response, keepAlive: false), to: socket)
                return
            }
        }
    }

    /// Writes a streamed body; a write error (the client left) ends only this stream.
    private func stream(_ chunks: AsyncStream<[UInt8]>, head: [UInt8], to socket: AsyncSocket) async {
        do {
            try await socket.write(Data(head))
        } catch {
            return
        }
        let heartbeat = self.heartbeat
        let merged = AsyncStream<[UInt8]> { continuation in
            let forward = Task {
                for await chunk in chunks { continuation.yield(chunk) }
                continuation.finish()
            }
            let beat = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(heartbeat))
                    if Task.isCancelled { break }
                    continuation.yield(Array(": keep-alive\n\n".utf8))
                }
            }
            continuation.onTermination = { _ in
                forward.cancel()
                beat.cancel()
            }
        }
        for await chunk in merged {
            do {
                try await socket.write(Data(chunk))
            } catch {
                return
            }
        }
    }

    /// True when `request` carries the bearer token (compared in constant time).
    static func authorized(_ request: DaemonRequest, token: String) -> Bool {
        guard let header = request.headers["authorization"], header.lowercased().hasPrefix("bearer ") else { return false }
        let given = Array(header.dropFirst(7).trimmingCharacters(in: .whitespaces).utf8)
        let wanted = Array(token.utf8)
        guard given.count == wanted.count, !wanted.isEmpty else { return false }
        var diff: UInt8 = 0
        for i in 0..<wanted.count { diff |= given[i] ^ wanted[i] }
        return diff == 0
    }
}

/// The socket could not be set up (exit 3).
public struct SocketSetupError: DeskError {
    public var description: String
    public init(_ description: String) { self.description = description }
    public var exitStatus: ExitStatus { .environment }
}
