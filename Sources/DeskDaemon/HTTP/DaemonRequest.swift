import Foundation

/// One HTTP request as the router sees it: already parsed, body complete, peer already checked.
public struct DaemonRequest: Sendable, Hashable {
    /// Upper-case method (`GET`, `POST`).
    public var method: String
    /// The path without the query, percent-decoded (`/jobs/7`).
    public var path: String
    /// Query parameters; the last value wins for repeated names.
    public var query: [String: String]
    /// Header fields with lower-cased names.
    public var headers: [String: String]
    public var body: [UInt8]

    public init(method: String, path: String, query: [String: String] = [:], headers: [String: String] = [:],
                body: [UInt8] = []) {
        self.method = method.uppercased()
        self.path = path
        self.query = query
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { _, b in b })
        self.body = body
    }

    /// A request from a target such as `/jobs?state=running` (the form the parser and tests use).
    public init(method: String, target: String, headers: [String: String] = [:], body: [UInt8] = []) {
        let (path, query) = Self.split(target: target)
        self.init(method: method, path: path, query: query, headers: headers, body: body)
    }

    /// A JSON request (tests and the client).
    public static func json(_ method: String, _ target: String, _ object: [String: Any]) -> DaemonRequest {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return DaemonRequest(method: method, target: target, headers: ["content-type": "application/json"],
                             body: [UInt8](data))
    }

    /// Splits a request target into its decoded path and query items.
    static func split(target: String) -> (String, [String: String]) {
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let rawPath = parts.first.map(String.init) ?? "/"
        let path = rawPath.removingPercentEncoding ?? rawPath
        var query: [String: String] = [:]
        if parts.count > 1 {
            for item in parts[1].split(separator: "&") {
                let kv = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                func decode(_ s: Substring) -> String {
                    let plus = s.replacingOccurrences(of: "+", with: " ")
                    return plus.removingPercentEncoding ?? plus
                }
                guard let key = kv.first else { continue }
                query[decode(key)] = kv.count > 1 ? decode(kv[1]) : ""
            }
        }
        return (path.isEmpty ? "/" : path, query)
    }

    /// The body as text (invalid UTF-8 repaired).
    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}
