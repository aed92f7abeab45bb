import DeskCore
@testable import DeskDaemon
import Foundation
import Testing
import DeskTesting
import DeskTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The listeners' caps and timeouts as pure logic.
@Suite(.ownThread) struct ListenerLimitsTests {
    @Test func anotherUIDCannotTakeTheOwnersShare() {
        var quota = ConnectionQuota(limits: ListenerLimits(maxConnections: 10, maxConnectionsPerPeer: 3), ownerUID: 1000)
        for _ in 0..<3 { #expect(quota.admit(.uid(65534)) == .admitted) }
        #expect(quota.admit(.uid(65534)) == .peerFull(open: 3))
        for _ in 0..<3 { #expect(quota.admit(.uid(2000)) == .admitted) }
        // Others may fill 10 - 3 = 7 of the 10.
        #expect(quota.admit(.address("127.0.0.1")) == .admitted)
        #expect(quota.admit(.address("127.0.0.2")) == .totalFull(open: 7, cap: 7))
        for _ in 0..<3 { #expect(quota.admit(.uid(1000)) == .admitted) }
        #expect(quota.admit(.uid(1000)) == .peerFull(open: 3))
        #expect(quota.open == 10)
        quota.release(.uid(65534))
        #expect(quota.count(of: .uid(65534)) == 2)
        #expect(quota.admit(.uid(3000)) == .admitted)
        // Releasing a peer that holds nothing changes nothing.
        quota.release(.uid(4242))
        #expect(quota.open == 10)
    }

    @Test func defaultsShrinkToALowFileLimitAndKeepARoomForTheRest() {
        let fitted = ListenerLimits().fitted(toDescriptorLimit: 64)
        #expect(fitted.maxConnections == 16)
        #expect(fitted.maxConnectionsPerPeer == 4)
        #expect(ListenerLimits().fitted(toDescriptorLimit: 1 << 20) == ListenerLimits())
    }

    @Test func acceptBacksOffUpToASecondAndStartsOverAfterASuccess() {
        var backoff = AcceptBackoff()
        #expect(backoff.succeeded() == nil)
        let delays = (0..<12).map { _ in backoff.failed() }
        #expect(delays.prefix(4) == [10, 20, 40, 80])
        #expect(delays.last == 1000 && delays.max() == 1000)
        #expect(backoff.succeeded() == 12)
        #expect(backoff.failed() == 10)
    }

    @Test func refusalsAreLoggedOncePerIntervalWithTheCountHeldBack() {
        var log = RateLimitedLog(interval: 10)
        #expect(log.line("refused", key: "uid 1", now: 0) == "refused")
        #expect(log.line("refused", key: "uid 1", now: 1) == nil)
        #expect(log.line("refused", key: "uid 1", now: 2) == nil)
        #expect(log.line("other", key: "uid 2", now: 3) == "other")
        #expect(log.line("refused", key: "uid 1", now: 11) == "refused (and 2 more like it in the last 10s)")
    }

    @Test func theHeadIsReadableBeforeTheBodyArrives() throws {
        var parser = HTTPRequestParser(limits: .init(maxBodyBytes: 100))
        parser.append(Array("POST /jobs HTTP/1.1\r\nAuthorization: Bearer x\r\nContent-Length: 50\r\n".utf8))
        #expect(try parser.pendingHead() == nil)
        parser.append(Array("\r\n{".utf8))
        let head = try #require(try parser.pendingHead())
        #expect(head.method == "POST" && head.headers["authorization"] == "Bearer x" && head.body.isEmpty)
        #expect(try parser.next() == nil)
    }
}

/// A plain blocking client socket, for what DaemonClient does not do: hold connections, send slowly.
struct RawConnection {
    let fd: Int32

    static func unix(_ path: String) throws -> RawConnection {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, byte) in path.utf8.prefix(raw.count - 1).enumerated() { raw[i] = byte }
        }
        return try connected(family: AF_UNIX, to: &address, naming: path)
    }

    static func tcp(port: UInt16) throws -> RawConnection {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return try connected(family: AF_INET, to: &address, naming: "127.0.0.1:\(port)")
    }

    /// A stream socket of `family` connected to `address` (a `sockaddr_un` or `sockaddr_in`).
    private static func connected<Address>(family: Int32, to address: inout Address, naming name: String) throws -> RawConnection {
        let fd = socket(family, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw RawConnectionError("socket: \(String(cString: strerror(errno)))") }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<Address>.size)) }
        }
        guard result == 0 else {
            let message = String(cString: strerror(errno))
            Glibc.close(fd)
            throw RawConnectionError("connect \(name): \(message)")
        }
        return RawConnection(fd: fd)
    }

    func send(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Waits up to `seconds` for something to read (or the end); true when there is.
    func readable(within seconds: Double) -> Bool {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, Int32(seconds * 1000)) == 1
    }

    /// Everything until the daemon closes, or what came before `seconds` passed; and whether it closed.
    func readToEnd(within seconds: Double) -> (text: String, closed: Bool) {
        let deadline = Date().addingTimeInterval(seconds)
        var text = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date() < deadline {
            guard readable(within: max(0.01, deadline.timeIntervalSinceNow)) else { break }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return (String(decoding: text, as: UTF8.self), true) }
            text += buffer[0..<n]
        }
        return (String(decoding: text, as: UTF8.self), false)
    }

    func close() { _ = Glibc.close(fd) }
}

struct RawConnectionError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Caps, timeouts and the token check on the in-process daemon's real sockets.
@Suite(.ownThread) struct ListenerTests {
    @Test func anIdleConnectionIsClosedAfterTheIdleTimeout() async throws {
        let h = try DaemonHarness(listenerLimits: ListenerLimits(headerTimeout: 30, idleTimeout: 0.5))
        try await h.start()
        try await withTeardown({ await h.stop() }) {
            let (text, closed, waited) = try await onThread { () -> (String, Bool, Double) in
                let connection = try RawConnection.unix(h.socketPath)
                defer { connection.close() }
                let started = Date()
                let (text, closed) = connection.readToEnd(within: 30)
                return (text, closed, Date().timeIntervalSince(started))
            }
            #expect(closed && text.isEmpty, "an idle connection is closed without an answer")
            #expect(waited >= 0.45)
            // A connection that asks within the timeout is served.
            #expect(try await onThread { try h.client.send("GET", "/health").status } == 200)
        }
    }

    @Test func aSlowHeadersClientIsCutOffThoughNeverIdle() async throws {
        let h = try DaemonHarness(listenerLimits: ListenerLimits(headerTimeout: 1, idleTimeout: 30))
        try await h.start()
        try await withTeardown({ await h.stop() }) {
            let (answer, lines) = try await onThread { () -> (String, Int) in
                let connection = try RawConnection.unix(h.socketPath)
                defer { connection.close() }
                connection.send("GET /health HTTP/1.1\r\nHost: x\r\n")
                // One header line every 100 ms, never the blank line that ends them, until the daemon answers.
                let deadline = Date().addingTimeInterval(30)
                var lines = 0
                while Date() < deadline {
                    if connection.readable(within: 0.1) { return (connection.readToEnd(within: 10).text, lines) }
                    connection.send("X-Slow-\(lines): 1\r\n")
                    lines += 1
                }
                return ("", lines)
            }
            #expect(answer.hasPrefix("HTTP/1.1 408"), "\(answer)")
            #expect(answer.contains("did not arrive within 1s (--header-timeout)"))
            #expect(lines >= 5)
        }
    }

    @Test func aPeerPastItsCapIsRefusedAndServedAgainOnceItClosesOne() async throws {
        let h = try DaemonHarness(listenerLimits: ListenerLimits(maxConnections: 16, maxConnectionsPerPeer: 4))
        try await h.start()
        try await withTeardown({ await h.stop() }) {
            let held = try await onThread { try (0..<4).map { _ in try RawConnection.unix(h.socketPath) } }
            // The four are counted once the daemon accepted them.
            let deadline = Date().addingTimeInterval(30)
            while h.service.server.openConnections < 4 && Date() < deadline { try await Task.sleep(for: .milliseconds(10)) }
            #expect(h.service.server.openConnections == 4)
            let refused = try await onThread { try h.client.send("GET", "/health") }
            #expect(refused.status == 503)
            #expect(refused.errorMessage.contains("uid \(geteuid()) holds 4 connections"), "\(refused.errorMessage)")
            held[0].close()
            var status = 0
            while status != 200 && Date() < deadline {
                status = try await onThread { try h.client.send("GET", "/health").status }
            }
            #expect(status == 200)
            for connection in held.dropFirst() { connection.close() }
        }
    }

    @Test func theTokenIsCheckedBeforeTheBodyIsRead() async throws {
        let h = try DaemonHarness(listenerLimits: ListenerLimits(headerTimeout: 30, idleTimeout: 30))
        let token = "0123456789abcdef-token"
        try await h.service.start(socketPath: h.socketPath, tcp: (host: "127.0.0.1", port: 0, token: token))
        try await withTeardown({ await h.stop() }) {
            let port = try #require(h.service.server.endpoints.compactMap { endpoint -> UInt16? in
                if case .tcp(_, let port, _) = endpoint { return port } else { return nil }
            }.first)
            let (answer, closed) = try await onThread { () -> (String, Bool) in
                let connection = try RawConnection.tcp(port: port)
                defer { connection.close() }
                // A body announced and never sent: the daemon must answer from the headers alone.
                connection.send("POST /jobs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer wrong\r\nContent-Length: 60000\r\n\r\n")
                return connection.readToEnd(within: 20)
            }
            #expect(answer.hasPrefix("HTTP/1.1 401"), "\(answer)")
            #expect(closed, "a client without the token does not keep its connection")
        }
    }

    @Test func aTCPClientWithoutTheTokenGetsOnlyTheHeaderTimeout() async throws {
        let h = try DaemonHarness(listenerLimits: ListenerLimits(headerTimeout: 0.5, idleTimeout: 60))
        try await h.service.start(socketPath: h.socketPath, tcp: (host: "127.0.0.1", port: 0, token: "0123456789abcdef-token"))
        try await withTeardown({ await h.stop() }) {
            let port = try #require(h.service.server.endpoints.compactMap { endpoint -> UInt16? in
                if case .tcp(_, let port, _) = endpoint { return port } else { return nil }
            }.first)
            let (answer, closed) = try await onThread { () -> (String, Bool) in
                let connection = try RawConnection.tcp(port: port)
                defer { connection.close() }
                return connection.readToEnd(within: 30)
            }
            #expect(closed)
            #expect(answer.hasPrefix("HTTP/1.1 408"), "\(answer)")
        }
    }
}
