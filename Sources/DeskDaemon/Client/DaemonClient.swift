import DeskCore
import FlyingSocks
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A small blocking HTTP/1.1 client for the daemon's Unix socket: what `submit`, `status`, `stop`,
/// `confirm`, `reply` and `resume` use (and the tests). One connection per request.
public struct DaemonClient: Sendable {
    /// A response with its complete body.
    public struct Response: Sendable {
        public var status: Int
        /// Header fields with lower-cased names.
        public var headers: [String: String]
        public var body: [UInt8]

        /// The body decoded as `T`.
        public func decode<T: Decodable>(_ type: T.Type) throws -> T {
            try DaemonJSON.decoder.decode(T.self, from: Data(body))
        }

        /// The `error` field of an error body, else the body as text.
        public var errorMessage: String {
            if let e = try? decode(APIErrorBody.self) { return e.error }
            return String(decoding: body, as: UTF8.self)
        }
    }

    public let socketPath: String
    /// Seconds to wait for a connection and for each read (event streams wait longer between events).
    public var timeout: Double

    public init(socketPath: String, timeout: Double = 30) {
        self.socketPath = socketPath
        self.timeout = timeout
    }

    /// True when a daemon answers `GET /health` on the socket.
    public func isAnswering() -> Bool {
        (try? send("GET", "/health"))?.status == 200
    }

    /// Sends one request and reads the whole response (any status).
    public func send(_ method: String, _ target: String, body: [UInt8]? = nil,
                     contentType: String = "application/json") throws(DaemonClientError) -> Response {
        let socket = try connect()
        defer { try? socket.close() }
        // A daemon may answer and close before it reads the request (a refused peer's 403, a body over the
        // limit): the write then fails with a broken pipe while the answer waits to be read.
        var writeFailure: DaemonClientError?
        do {
            try write(request(method, target, body: body, contentType: contentType), to: socket)
        } catch {
            writeFailure = error
        }
        var reader = ResponseReader()
        while true {
            let bytes: [UInt8]
            do {
                bytes = try socket.read(atMost: 65536)
            } catch SocketError.disconnected {
                reader.finish()
                break
            } catch SocketError.blocked {
                throw writeFailure ?? DaemonClientError(.connection, socketPath: socketPath, message: "no answer within \(Int(timeout)) s")
            } catch {
                throw writeFailure ?? DaemonClientError(.connection, socketPath: socketPath, message: "\(error)")
            }
            reader.append(bytes)
            if reader.isComplete { break }
        }
        guard let response = reader.response else {
            throw writeFailure ?? DaemonClientError(.protocolError, socketPath: socketPath, message: reader.problem ?? "incomplete response")
        }
        return response
    }

    /// Sends `object` as JSON.
    public func send(_ method: String, _ target: String, json object: [String: Any]) throws(DaemonClientError) -> Response {
        let data: Data
        do {
            data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        } catch {
            throw DaemonClientError(.protocolError, socketPath: socketPath, message: "cannot encode the request: \(error)")
        }
        return try send(method, target, body: [UInt8](data))
    }

    /// Sends a request that must succeed (2xx) and decodes its body.
    public func call<T: Decodable>(_ method: String, _ target: String, json object: [String: Any]? = nil,
                                   as type: T.Type) throws(DaemonClientError) -> T {
        let response: Response
        if let object {
            response = try send(method, target, json: object)
        } else {
            response = try send(method, target)
        }
        guard (200..<300).contains(response.status) else {
            throw DaemonClientError(.http(response.status), socketPath: socketPath, message: response.errorMessage)
        }
        do {
            return try response.decode(T.self)
        } catch {
            throw DaemonClientError(.protocolError, socketPath: socketPath, message: "\(error)")
        }
    }

    /// Follows `GET /jobs/{id}/events`, calling `onEvent` for each event until the stream ends or `onEvent`
    /// returns false.
    public func followEvents(job id: String, onEvent: (JobEvent) -> Bool) throws(DaemonClientError) {
        let socket = try connect()
        defer { try? socket.close() }
        try write(request("GET", "/jobs/\(id)/events", body: nil, contentType: "application/json"), to: socket)
        var buffer: [UInt8] = []
        var headerDone = false
        var lines = SSELineReader()
        while true {
            let bytes: [UInt8]
            do {
                bytes = try socket.read(atMost: 65536)
            } catch SocketError.disconnected {
                return
            } catch SocketError.blocked {
                continue
            } catch {
                throw DaemonClientError(.connection, socketPath: socketPath, message: "\(error)")
            }
            if !headerDone {
                buffer += bytes
                guard let end = HTTPRequestParser.find([13, 10, 13, 10], in: buffer, from: 0) else { continue }
                let head = String(decoding: buffer[0..<end], as: UTF8.self)
                let status = head.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
                if status != 200 {
                    // An error has a normal body: read the rest through the plain reader.
                    var reader = ResponseReader()
                    reader.append(buffer)
                    while !reader.isComplete, let more = try? socket.read(atMost: 65536) { reader.append(more) }
                    reader.finish()
                    throw DaemonClientError(.http(status), socketPath: socketPath,
                                            message: reader.response?.errorMessage ?? head)
                }
                headerDone = true
                let rest = Array(buffer[(end + 4)...])
                buffer = []
                for data in lines.feed(rest) {
                    if let event = try? DaemonJSON.decoder.decode(JobEvent.self, from: Data(data.utf8)), !onEvent(event) { return }
                }
                continue
            }
            for data in lines.feed(bytes) {
                if let event = try? DaemonJSON.decoder.decode(JobEvent.self, from: Data(data.utf8)), !onEvent(event) { return }
            }
        }
    }

    // MARK: - Plumbing

    private func connect() throws(DaemonClientError) -> Socket {
        var info = stat()
        guard lstat(socketPath, &info) == 0 else {
            throw DaemonClientError(.noDaemon, socketPath: socketPath, message: "no socket")
        }
        let socket: Socket
        do {
            socket = try Socket(domain: AF_UNIX, type: .stream)
        } catch {
            throw DaemonClientError(.connection, socketPath: socketPath, message: "\(error)")
        }
        var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1_000_000))
        _ = setsockopt(socket.file.rawValue, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        _ = setsockopt(socket.file.rawValue, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        do {
            try socket.connect(to: sockaddr_un.unix(path: socketPath))
        } catch {
            try? socket.close()
            if case .failed(_, let code, let message) = error as? SocketError {
                if code == ECONNREFUSED || code == ENOENT {
                    throw DaemonClientError(.notAnswering, socketPath: socketPath, message: message)
                }
                if code == EACCES {
                    throw DaemonClientError(.connection, socketPath: socketPath,
                                            message: "permission denied (the socket belongs to another user)")
                }
            }
            throw DaemonClientError(.connection, socketPath: socketPath, message: "\(error)")
        }
        return socket
    }

    private func request(_ method: String, _ target: String, body: [UInt8]?, contentType: String) -> [UInt8] {
        var head = "\(method) \(target) HTTP/1.1\r\nHost: deskpilot\r\nConnection: close\r\n"
        if let body {
            head += "Content-Type: \(contentType)\r\nContent-Length: \(body.count)\r\n"
        }
        head += "\r\n"
        return [UInt8](head.utf8) + (body ?? [])
    }

    private func write(_ bytes: [UInt8], to socket: Socket) throws(DaemonClientError) {
        var index = 0
        let data = Data(bytes)
        while index < data.count {
            do {
                index = try socket.write(data, from: index)
            } catch {
                throw DaemonClientError(.connection, socketPath: socketPath, message: "\(error)")
            }
        }
    }
}

/// Collects one HTTP response (Content-Length body, or until the connection closes).
struct ResponseReader {
    private var buffer: [UInt8] = []
    private var closed = false
    private(set) var problem: String?

    mutating func append(_ bytes: [UInt8]) { buffer += bytes }
    mutating func finish() { closed = true }

    private var headEnd: Int? { HTTPRequestParser.find([13, 10, 13, 10], in: buffer, from: 0) }

    var isComplete: Bool {
        guard let end = headEnd else { return false }
        let head = String(decoding: buffer[0..<end], as: UTF8.self).lowercased()
        guard let line = head.components(separatedBy: "\r\n").first(where: { $0.hasPrefix("content-length:") }),
              let length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) else {
            return closed
        }
        return buffer.count >= end + 4 + length
    }

    var response: DaemonClient.Response? {
        guard let end = headEnd else { return nil }
        let lines = String(decoding: buffer[0..<end], as: UTF8.self).components(separatedBy: "\r\n")
        guard let first = lines.first, first.hasPrefix("HTTP/1."),
              let status = first.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Array(buffer[(end + 4)...])
        if let length = headers["content-length"].flatMap({ Int($0) }), body.count > length { body = Array(body.prefix(length)) }
        return DaemonClient.Response(status: status, headers: headers, body: body)
    }
}

/// Splits a Server-Sent Events byte stream into the `data` of each event (comments and other fields
/// are skipped).
struct SSELineReader {
    private var pending: [UInt8] = []
    private var data: [String] = []

    mutating func feed(_ bytes: [UInt8]) -> [String] {
        pending += bytes
        var out: [String] = []
        while let nl = pending.firstIndex(of: 10) {
            var line = String(decoding: pending[..<nl], as: UTF8.self)
            pending.removeSubrange(...nl)
            if line.hasSuffix("\r") { line.removeLast() }
            if line.isEmpty {
                if !data.isEmpty { out.append(data.joined(separator: "\n")) }
                data = []
            } else if line.hasPrefix("data:") {
                var value = line.dropFirst(5)
                if value.first == " " { value = value.dropFirst() }
                data.append(String(value))
            }
        }
        return out
    }
}
