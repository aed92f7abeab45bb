/// Reads HTTP/1.1 requests from the bytes of one connection, as they arrive (pure: no I/O).
///
/// Feed bytes with ``append(_:)`` and take complete requests with ``next()``. Bodies come with
/// `Content-Length` or `Transfer-Encoding: chunked`; anything over the limits is refused early (a
/// `Content-Length` over the body limit fails before the body is read), so a client cannot make the
/// daemon buffer more than the limits allow.
public struct HTTPRequestParser: Sendable {
    /// Size limits for one request.
    public struct Limits: Sendable, Hashable {
        /// Request line and header fields together.
        public var maxHeaderBytes: Int
        /// The decoded body.
        public var maxBodyBytes: Int

        public init(maxHeaderBytes: Int = 16 * 1024, maxBodyBytes: Int = 1024 * 1024) {
            self.maxHeaderBytes = maxHeaderBytes
            self.maxBodyBytes = maxBodyBytes
        }
    }

    /// A complete request and whether the connection stays open after its response.
    public struct Parsed: Sendable, Hashable {
        public var request: DaemonRequest
        public var keepAlive: Bool
    }

    public let limits: Limits
    private var buffer: [UInt8] = []

    public init(limits: Limits = Limits()) { self.limits = limits }

    /// Bytes received and not yet consumed by a complete request.
    public var pendingBytes: Int { buffer.count }

    public mutating func append(_ bytes: [UInt8]) { buffer.append(contentsOf: bytes) }

    /// The request line and header fields of the request being received, once they are complete (its body
    /// may still be on its way), or nil. Lets the server check a token before it reads or buffers a body.
    public func pendingHead() throws(HTTPParseError) -> DaemonRequest? {
        guard let head = try parseHead() else { return nil }
        return DaemonRequest(method: head.method, target: head.target, headers: head.headers, body: [])
    }

    private struct Head {
        var method: String
        var target: String
        var version: String
        var headers: [String: String]
        var end: Int
    }

    private func parseHead() throws(HTTPParseError) -> Head? {
        guard let headerEnd = Self.find([13, 10, 13, 10], in: buffer, from: 0) else {
            if buffer.count > limits.maxHeaderBytes {
                throw HTTPParseError(.headersTooLarge, "the request line and headers exceed \(limits.maxHeaderBytes) bytes")
            }
            return nil
        }
        if headerEnd > limits.maxHeaderBytes {
            throw HTTPParseError(.headersTooLarge, "the request line and headers exceed \(limits.maxHeaderBytes) bytes")
        }
        let head = String(decoding: buffer[0..<headerEnd], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        // RFC 9112 §2.2: ignore empty lines before the request line.
        while lines.first == "" { lines.removeFirst() }
        guard let requestLine = lines.first else { throw HTTPParseError(.badRequest, "empty request") }
        let parts = requestLine.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, parts[0].allSatisfy({ $0.isLetter && $0.isUppercase }),
              parts[1].hasPrefix("/") || parts[1] == "*" else {
            throw HTTPParseError(.badRequest, "malformed request line '\(requestLine.prefix(80))'")
        }
        let version = String(parts[2])
        guard version == "HTTP/1.1" || version == "HTTP/1.0" else {
            if version.hasPrefix("HTTP/") { throw HTTPParseError(.versionNotSupported, "\(version) is not supported; use HTTP/1.1") }
            throw HTTPParseError(.badRequest, "malformed request line '\(requestLine.prefix(80))'")
        }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex else {
                throw HTTPParseError(.badRequest, "malformed header line '\(line.prefix(80))'")
            }
            let name = line[..<colon].lowercased()
            guard !name.contains(" ") else { throw HTTPParseError(.badRequest, "malformed header name '\(name.prefix(80))'") }
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if let old = headers[name] { headers[name] = old + ", " + value } else { headers[name] = value }
        }
        return Head(method: String(parts[0]), target: String(parts[1]), version: version, headers: headers, end: headerEnd)
    }

    /// The next complete request, or nil when more bytes are needed.
    public mutating func next() throws(HTTPParseError) -> Parsed? {
        guard let head = try parseHead() else { return nil }
        let headerEnd = head.end, headers = head.headers, version = head.version
        let bodyStart = headerEnd + 4
        var body: [UInt8] = []
        var consumed = bodyStart
        if let te = headers["transfer-encoding"] {
            guard te.lowercased() == "chunked" else {
                throw HTTPParseError(.notImplemented, "transfer-encoding '\(te)' is not supported (use chunked or Content-Length)")
            }
            guard let (decoded, end) = try decodeChunked(from: bodyStart) else { return nil }
            body = decoded
            consumed = end
        } else if let lengthText = headers["content-length"] {
            guard let length = Int(lengthText), length >= 0 else {
                throw HTTPParseError(.badRequest, "Content-Length '\(lengthText)' is not a number")
            }
            if length > limits.maxBodyBytes {
                throw HTTPParseError(.payloadTooLarge, "the body has \(length) bytes; the limit is \(limits.maxBodyBytes)")
            }
            guard buffer.count >= bodyStart + length else { return nil }
            body = Array(buffer[bodyStart..<bodyStart + length])
            consumed = bodyStart + length
        }
        buffer.removeFirst(consumed)
        let connection = headers["connection"]?.lowercased() ?? ""
        let keepAlive = version == "HTTP/1.1" ? !connection.contains("close") : connection.contains("keep-alive")
        let request = DaemonRequest(method: head.method, target: head.target, headers: headers, body: body)
        return Parsed(request: request, keepAlive: keepAlive)
    }

    /// The decoded chunked body starting at `start` and the index after it, or nil when incomplete.
    private func decodeChunked(from start: Int) throws(HTTPParseError) -> ([UInt8], Int)? {
        var body: [UInt8] = []
        var i = start
        while true {
            guard let lineEnd = Self.find([13, 10], in: buffer, from: i) else {
                if buffer.count - i > 1024 { throw HTTPParseError(.badRequest, "malformed chunk size line") }
                return nil
            }
            let line = String(decoding: buffer[i..<lineEnd], as: UTF8.self)
            let sizeText = line.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            guard let size = Int(sizeText, radix: 16), size >= 0 else {
                throw HTTPParseError(.badRequest, "malformed chunk size '\(line.prefix(40))'")
            }
            i = lineEnd + 2
            if size == 0 {
                // Trailer fields, then an empty line.
                while true {
                    guard let end = Self.find([13, 10], in: buffer, from: i) else { return nil }
                    let empty = end == i
                    i = end + 2
                    if empty { return (body, i) }
                }
            }
            if body.count + size > limits.maxBodyBytes {
                throw HTTPParseError(.payloadTooLarge, "the body exceeds the limit of \(limits.maxBodyBytes) bytes")
            }
            guard buffer.count >= i + size + 2 else { return nil }
            body.append(contentsOf: buffer[i..<i + size])
            guard buffer[i + size] == 13, buffer[i + size + 1] == 10 else {
                throw HTTPParseError(.badRequest, "a chunk is not followed by CRLF")
            }
            i += size + 2
        }
    }

    /// The index of `needle` in `haystack` at or after `from`.
    static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard haystack.count >= needle.count, from <= haystack.count - needle.count else { return nil }
        var i = from
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == needle[0] {
                var match = true
                for j in 1..<needle.count where haystack[i + j] != needle[j] {
                    match = false
                    break
                }
                if match { return i }
            }
            i += 1
        }
        return nil
    }
}
