import DeskCore
import FlyingSocks
import Foundation
import Synchronization
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
///
/// It survives abuse (``ListenerLimits``): connections are capped in total and per peer (a uid, which the
/// kernel names on both listeners), and the owner keeps a share no other uid may take; a request's headers
/// must arrive within the header timeout, a silent connection is closed after the idle timeout; on TCP the
/// token is checked as soon as the headers are in, before a body is read; when `accept` runs out of
/// descriptors (EMFILE, ENFILE) the loop sheds the waiting connection, backs off and accepts again once
/// descriptors are free, instead of giving up.
public final class ControlServer: Sendable {
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
    /// Connection caps and timeouts.
    public let listenerLimits: ListenerLimits
    let log: @Sendable (String) -> Void
    /// The uid allowed on the Unix socket.
    let allowedUID: UInt32
    private let pool: any AsyncSocketPool = SocketPool.make()

    private struct State: Sendable {
        var listeners: [(socket: Socket, endpoint: Endpoint)] = []
        var runTask: Task<Void, Never>?
        var stopping = false
        var quota: ConnectionQuota
    }
    private let state: Mutex<State>
    /// Refusals are logged at most once per peer and reason every few seconds: a flood must not fill the log.
    private let refusalLog = Mutex(RateLimitedLog(interval: 10))
    /// A descriptor held in reserve: when `accept` fails with EMFILE it is closed for a moment, so that the
    /// waiting connection can be accepted and closed (its client learns at once instead of hanging).
    private let spareDescriptor = Mutex<Int32>(-1)
    /// Seconds between keep-alive comments on an idle event stream (they also reveal a client that left).
    let heartbeat: Double

    public init(handler: @escaping Handler, limits: HTTPRequestParser.Limits = .init(),
                listenerLimits: ListenerLimits = .init(), allowedUID: UInt32 = geteuid(),
                heartbeat: Double = 15, log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.handler = handler
        self.limits = limits
        self.listenerLimits = listenerLimits
        self.allowedUID = allowedUID
        self.heartbeat = heartbeat
        self.log = log
        state = Mutex(State(quota: ConnectionQuota(limits: listenerLimits, ownerUID: allowedUID)))
    }

    /// The endpoints bound so far (a TCP port of 0 is replaced by the one the kernel chose).
    public var endpoints: [Endpoint] {
        state.withLock { $0.listeners.map(\.endpoint) }
    }

    /// Connections being served now (admitted by the caps and not yet closed).
    public var openConnections: Int { state.withLock { $0.quota.open } }

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
        state.withLock { $0.listeners.append((socket, .unix(path: path))) }
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
        state.withLock { $0.listeners.append((socket, .tcp(host: host, port: actual, token: token))) }
        return actual
    }

    /// Starts serving every bound endpoint; returns once the accept loops run.
    public func start() async throws {
        try await pool.prepare()
        let pool = self.pool
        spareDescriptor.withLock { if $0 < 0 { $0 = open("/dev/null", O_RDONLY | O_CLOEXEC) } }
        let listening = state.withLock { $0.listeners }
        let sockets = try listening.map { (try AsyncSocket(socket: $0.socket, pool: pool), $0.endpoint) }
        let task = Task { [self] in
            await withDiscardingTaskGroup { group in
                group.addTask { try? await pool.run() }
                for (socket, endpoint) in sockets {
                    group.addTask { await self.acceptLoop(socket, endpoint: endpoint) }
                }
            }
        }
        state.withLock { $0.runTask = task }
    }

    /// Closes the listeners and every connection, and removes the Unix socket file.
    public func stop() async {
        let (task, list) = state.withLock {
            let taken = ($0.runTask, $0.listeners)
            $0.stopping = true
            $0.runTask = nil
            $0.listeners.removeAll()
            return taken
        }
        for (socket, endpoint) in list {
            try? socket.close()
            if case .unix(let path) = endpoint { unlink(path) }
        }
        task?.cancel()
        await task?.value
        spareDescriptor.withLock {
            if $0 >= 0 { Glibc.close($0) }
            $0 = -1
        }
    }

    // MARK: - Accepting

    private func acceptLoop(_ listener: AsyncSocket, endpoint: Endpoint) async {
        var backoff = AcceptBackoff()
        await withDiscardingTaskGroup { connections in
            while !Task.isCancelled {
                let connection: AsyncSocket
                do {
                    connection = try await listener.accept()
                    if let failures = backoff.succeeded() {
                        log("accepting on \(endpoint) again after \(failures) failed attempts")
                    }
                } catch {
                    if Task.isCancelled || state.withLock({ $0.stopping }) { return }
                    var code: Int32?
                    if case SocketError.failed(_, let errno, _) = error { code = errno }
                    // The connection went away before accept took it, or a signal interrupted: try again now.
                    if let code, code == ECONNABORTED || code == EINTR || code == EPROTO { continue }
                    if code == EMFILE || code == ENFILE { shedWaitingConnections(from: listener.socket) }
                    let delay = backoff.failed()
                    if backoff.failures == 1 {
                        let open = openConnections
                        log("accept on \(endpoint) failed: \(error) (\(open) connections open); retrying with back-off")
                    }
                    try? await Task.sleep(for: .milliseconds(delay))
                    continue
                }
                guard let peer = admit(connection, endpoint: endpoint) else { continue }
                let slot = ConnectionSlot(peer: peer, server: self)
                connections.addTask {
                    await self.serve(connection, endpoint: endpoint, slot: slot)
                    slot.release()
                }
            }
        }
    }

    /// Gives back an admitted connection's place under the caps.
    func releaseConnection(of peer: ConnectionPeer) {
        state.withLock { $0.quota.release(peer) }
    }

    /// Accepts and closes the connections waiting in the backlog (up to its size) while descriptors are
    /// exhausted, through the spare descriptor: their clients learn at once instead of hanging in connect.
    private func shedWaitingConnections(from listener: Socket) {
        spareDescriptor.withLock { spare in
            guard spare >= 0 else { return }
            Glibc.close(spare)
            for _ in 0..<128 {
                let shed = Glibc.accept(listener.file.rawValue, nil, nil)  // the listener is non-blocking
                guard shed >= 0 else { break }
                Glibc.close(shed)
            }
            spare = open("/dev/null", O_RDONLY | O_CLOEXEC)
        }
    }

    /// Identifies the peer and counts the connection against the caps; a refused connection gets its error
    /// answer and is closed here, before any task or buffer is spent on it.
    private func admit(_ connection: AsyncSocket, endpoint: Endpoint) -> ConnectionPeer? {
        let peer: ConnectionPeer
        switch endpoint {
        case .unix:
            guard let credentials = PeerCredentials.of(connection.socket) else {
                refuse(connection, key: "no-credentials", log: "refused a connection: the kernel gave no peer credentials",
                       answer: nil)
                return nil
            }
            guard credentials.uid == allowedUID else {
                refuse(connection, key: "uid \(credentials.uid)",
                       log: "refused a connection from uid \(credentials.uid) (pid \(credentials.pid)): only uid \(allowedUID) may use this socket",
                       answer: .error(.forbidden, "uid \(credentials.uid) may not use this daemon; it accepts only its own uid \(allowedUID)"))
                return nil
            }
            peer = .uid(credentials.uid)
        case .tcp:
            peer = TCPPeerOwner.peer(ofAccepted: connection.socket.file.rawValue)
        }
        let verdict = state.withLock { $0.quota.admit(peer) }
        switch verdict {
        case .admitted:
            return peer
        case .peerFull(let open):
            refuse(connection, key: "cap \(peer)",
                   log: "refused a connection from \(peer) on \(endpoint): it holds \(open) connections, the cap per peer (--max-connections-per-peer)",
                   answer: .error(.unavailable, "\(peer) holds \(open) connections to this daemon, the most one peer may (--max-connections-per-peer)"))
        case .totalFull(let open, let cap):
            refuse(connection, key: "total \(peer)",
                   log: "refused a connection from \(peer) on \(endpoint): \(open) connections are open, the most it may use of --max-connections \(listenerLimits.maxConnections)",
                   answer: .error(.unavailable, "the daemon has \(open) connections open, the most allowed to \(peer) (\(cap))"))
        }
        return nil
    }

    /// Answers a refused connection without waiting (what the socket buffer takes now) and closes it.
    private func refuse(_ connection: AsyncSocket, key: String, log line: String, answer: DaemonResponse?) {
        let now = Double(DispatchTime.now().uptimeNanoseconds) / 1e9
        if let message = refusalLog.withLock({ $0.line(line, key: key, now: now) }) { log(message) }
        let fd = connection.socket.file.rawValue
        if let answer {
            // What the client already sent is read and dropped first: closing with unread bytes would send a
            // reset, and the client might lose the answer.
            var scratch = [UInt8](repeating: 0, count: 4096)
            _ = scratch.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            let bytes = HTTPResponseWriter.complete(answer, keepAlive: false)
            _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT | MSG_NOSIGNAL)) }
        }
        try? connection.close()
    }

    // MARK: - Connections

    /// Serves one connection: requests in order, keep-alive, until the client closes, asks to close, stays
    /// silent past a timeout, or a stream ends.
    func serve(_ socket: AsyncSocket, endpoint: Endpoint, slot: ConnectionSlot? = nil) async {
        defer { try? socket.close() }
        var token: String?
        if case .tcp(_, _, let t) = endpoint { token = t }
        let clock = ContinuousClock()
        let headerTimeout = Duration.milliseconds(Int((listenerLimits.headerTimeout * 1000).rounded()))
        let idleTimeout = Duration.milliseconds(Int((listenerLimits.idleTimeout * 1000).rounded()))
        var parser = HTTPRequestParser(limits: limits)
        // When the request being received began. On TCP the first request's clock starts at accept: a client
        // that has not shown the token gets no more than the header timeout, silent or not.
        var requestStart: ContinuousClock.Instant? = token == nil ? nil : clock.now
        var lastActivity = clock.now
        while !Task.isCancelled {
            let parsed: HTTPRequestParser.Parsed?
            var headComplete = false
            do throws(HTTPParseError) {
                parsed = try parser.next()
                if let token {
                    // The token is checked as soon as the headers are in, before any body is read or any work done.
                    var head = parsed?.request
                    if head == nil { head = try parser.pendingHead() }
                    if let head, !Self.authorized(head, token: token) {
                        let response = DaemonResponse.error(.unauthorized,
                            "this listener needs 'Authorization: Bearer <token>' (the --token-file's content)",
                            extra: [("WWW-Authenticate", "Bearer")])
                        await finish(socket, with: response)
                        return
                    }
                    headComplete = head != nil
                } else if parsed == nil {
                    headComplete = try parser.pendingHead() != nil
                }
            } catch {
                await finish(socket, with: DaemonResponse.error(error.status, error.message))
                return
            }
            guard let parsed else {
                var deadline = lastActivity + idleTimeout
                if let requestStart, !headComplete { deadline = min(deadline, requestStart + headerTimeout) }
                switch await read(socket, until: deadline) {
                case .bytes(let bytes):
                    if bytes.isEmpty { return }
                    if requestStart == nil { requestStart = clock.now }
                    lastActivity = clock.now
                    parser.append(bytes)
                case .timedOut:
                    if Task.isCancelled { return }
                    if requestStart != nil && !headComplete && clock.now >= requestStart! + headerTimeout {
                        await finish(socket, with: .error(.requestTimeout,
                            "the request line and headers did not arrive within \(DurationWords.format(listenerLimits.headerTimeout)) (--header-timeout)"))
                    } else if parser.pendingBytes > 0 {
                        await finish(socket, with: .error(.requestTimeout,
                            "the request stalled for \(DurationWords.format(listenerLimits.idleTimeout)) (--idle-timeout)"))
                    }
                    return
                case .failed:
                    return
                }
                continue
            }
            let response = await handler(parsed.request)
            switch response.body {
            case .bytes:
                // The last answer of a connection frees its place under the caps before it is written: a
                // client that reconnects as soon as it has read the answer must not find its old connection
                // still counted.
                if !parsed.keepAlive { slot?.release() }
                guard await write(HTTPResponseWriter.complete(response, keepAlive: parsed.keepAlive), to: socket) else { return }
                if !parsed.keepAlive { return }
            case .stream(let chunks):
                await stream(chunks, head: HTTPResponseWriter.head(response, keepAlive: false), to: socket)
                return
            }
            lastActivity = clock.now
            requestStart = parser.pendingBytes > 0 ? clock.now : nil
        }
    }

    private enum ReadOutcome: Sendable {
        case bytes([UInt8])
        case timedOut
        case failed
    }

    /// Reads what the client sent, or gives up at `deadline`.
    private func read(_ socket: AsyncSocket, until deadline: ContinuousClock.Instant) async -> ReadOutcome {
        // Bytes already there are taken at once: the timed wait below costs two tasks, which a loaded
        // machine pays for in latency.
        do {
            return .bytes(try socket.socket.read(atMost: 65536))
        } catch SocketError.blocked {
        } catch {
            return .failed
        }
        return await withTaskGroup(of: ReadOutcome.self) { group in
            group.addTask {
                do {
                    return .bytes(try await socket.read(atMost: 65536))
                } catch {
                    return Task.isCancelled ? .timedOut : .failed
                }
            }
            group.addTask {
                try? await Task.sleep(until: deadline, clock: .continuous)
                return .timedOut
            }
            let first = await group.next() ?? .failed
            group.cancelAll()
            return first
        }
    }

    /// Writes `bytes`; false when the client left or read nothing for the idle timeout (a client that stops
    /// reading must not hold the connection forever).
    private func write(_ bytes: [UInt8], to socket: AsyncSocket) async -> Bool {
        // What the socket buffer takes now is written at once; only the rest waits, with a timeout.
        let data = Data(bytes)
        var index = data.startIndex
        while index < data.endIndex {
            do {
                index = try socket.socket.write(data, from: index)
            } catch SocketError.blocked {
                break
            } catch {
                return false
            }
        }
        if index == data.endIndex { return true }
        let rest = Data(data[index...])
        let idle = listenerLimits.idleTimeout
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask { (try? await socket.write(rest)) != nil }
            group.addTask {
                try? await Task.sleep(for: .milliseconds(Int(idle * 1000)))
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }

    /// Sends a final error answer and closes the writing side, so that the client reads the answer before
    /// the connection ends.
    private func finish(_ socket: AsyncSocket, with response: DaemonResponse) async {
        _ = await write(HTTPResponseWriter.complete(response, keepAlive: false), to: socket)
        shutdown(socket.socket.file.rawValue, Int32(SHUT_WR))
        // Bytes the client is still sending are read and dropped for a moment: closing with unread bytes
        // would reset the connection and could destroy the answer before the client reads it.
        let clock = ContinuousClock()
        let until = clock.now + .seconds(1)
        var drained = 0
        while drained < 1 << 20, case .bytes(let bytes) = await read(socket, until: until), !bytes.isEmpty {
            drained += bytes.count
        }
    }

    /// Writes a streamed body; a write error (the client left) ends only this stream.
    private func stream(_ chunks: AsyncStream<[UInt8]>, head: [UInt8], to socket: AsyncSocket) async {
        guard await write(head, to: socket) else { return }
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
            guard await write(chunk, to: socket) else { return }
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

/// One admitted connection's place under the caps, given back once.
final class ConnectionSlot: Sendable {
    let peer: ConnectionPeer
    let server: ControlServer
    private let released = Mutex(false)

    init(peer: ConnectionPeer, server: ControlServer) {
        self.peer = peer
        self.server = server
    }

    func release() {
        guard released.withLock({ done in
            defer { done = true }
            return !done
        }) else { return }
        server.releaseConnection(of: peer)
    }
}

/// The socket could not be set up (exit 3).
public struct SocketSetupError: DeskError {
    public var description: String
    public init(_ description: String) { self.description = description }
    public var exitStatus: ExitStatus { .environment }
}
