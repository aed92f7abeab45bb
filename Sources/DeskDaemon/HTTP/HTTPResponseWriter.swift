import Foundation

/// Turns responses into bytes for the wire.
public enum HTTPResponseWriter {
    /// The status line and header fields, ending with the empty line. Complete bodies get a
    /// `Content-Length`; streams get `Cache-Control: no-cache` and `Connection: close` (the end of the
    /// stream is the end of the connection).
    public static func head(_ response: DaemonResponse, keepAlive: Bool) -> [UInt8] {
        var text = "HTTP/1.1 \(response.status.code) \(response.status.reason)\r\n"
        var headers = response.headers.filter {
            !["content-length", "connection", "transfer-encoding"].contains($0.0.lowercased())
        }
        switch response.body {
        case .bytes(let bytes):
            headers.append(("Content-Length", "\(bytes.count)"))
            headers.append(("Connection", keepAlive ? "keep-alive" : "close"))
        case .stream:
            if response.header("cache-control") == nil { headers.append(("Cache-Control", "no-cache")) }
            headers.append(("Connection", "close"))
        }
        for (name, value) in headers {
            // A value must never be able to start a new header line.
            let clean = value.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
            text += "\(name): \(clean)\r\n"
        }
        text += "\r\n"
        return [UInt8](text.utf8)
    }

    /// The whole response for a complete body (stream bodies are written by the connection).
    public static func complete(_ response: DaemonResponse, keepAlive: Bool) -> [UInt8] {
        head(response, keepAlive: keepAlive) + response.bodyBytes
    }
}
