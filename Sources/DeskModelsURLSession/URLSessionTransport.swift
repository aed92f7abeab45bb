import DeskModels
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// ``HTTPTransport`` over Foundation's `URLSession` (libcurl on Linux). Non-streaming: one request,
/// one complete body, which is all a screenshot-in, action-out step needs.
public struct URLSessionTransport: HTTPTransport {
    let session: URLSession

    public init() {
        let config = URLSessionConfiguration.ephemeral
        config.requestCachePolicy = .reloadIgnoringLocalCacheData
        config.urlCache = nil
        self.session = URLSession(configuration: config)
    }

    public func send(_ request: TransportRequest) async throws(TransportError) -> TransportResponse {
        var r = URLRequest(url: request.url)
        r.httpMethod = request.method
        r.httpBody = request.method == "GET" ? nil : request.body
        // libcurl's own timeout is only a backstop (whole seconds); the deadline below is exact.
        r.timeoutInterval = request.timeout.rounded(.up) + 2
        for (k, v) in request.headers { r.setValue(v, forHTTPHeaderField: k) }
        do {
            let session = self.session
            let urlRequest = r
            let (data, response) = try await Deadline.run(seconds: request.timeout) {
                try await session.data(for: urlRequest)
            }
            guard let http = response as? HTTPURLResponse else { throw TransportError.connection("not an HTTP response") }
            var headers: [String: String] = [:]
            for (k, v) in http.allHeaderFields {
                if let k = k as? String, let v = v as? String { headers[k.lowercased()] = v }
            }
            return TransportResponse(status: http.statusCode, headers: headers, body: data)
        } catch let e as TransportError {
            throw e
        } catch let e as URLError {
            switch e.code {
            case .timedOut: throw .timedOut
            case .cancelled: throw .cancelled
            default: throw .connection(e.localizedDescription.isEmpty ? "\(e.code)" : e.localizedDescription)
            }
        } catch is CancellationError {
            throw .cancelled
        } catch {
            throw .connection("\(error)")
        }
    }
}
