import Foundation

/// When and how long the client waits before trying again.
///
/// Retries connection errors, timeouts, 429 and 5xx; waits `baseDelay · 2^(n−1)` capped at `maxDelay`,
/// with jitter (a random factor in 0.5…1.0) so parallel runs do not retry in step; a `Retry-After`
/// from the server wins (capped at `maxRetryAfter`).
public struct RetryPolicy: Sendable, Hashable {
    /// Retries after the first attempt (3 → up to 4 attempts).
    public var maxRetries: Int
    public var baseDelay: Double
    public var maxDelay: Double
    public var maxRetryAfter: Double

    public init(maxRetries: Int = 3, baseDelay: Double = 0.5, maxDelay: Double = 8, maxRetryAfter: Double = 60) {
        self.maxRetries = max(0, maxRetries)
        self.baseDelay = max(0, baseDelay)
        self.maxDelay = max(0, maxDelay)
        self.maxRetryAfter = max(0, maxRetryAfter)
    }

    /// True for statuses worth another try.
    public static func isRetryable(status: Int) -> Bool { status == 429 || (500...599).contains(status) }

    /// Seconds to wait before retry number `retry` (1-based); `jitter` in 0…1.
    public func delay(beforeRetry retry: Int, retryAfter: Double?, jitter: Double) -> Double {
        if let retryAfter, retryAfter >= 0 { return min(retryAfter, maxRetryAfter) }
        let exp = baseDelay * pow(2, Double(max(0, retry - 1)))
        return min(exp, maxDelay) * (0.5 + 0.5 * min(max(jitter, 0), 1))
    }

    /// Reads `Retry-After`: delta-seconds, or an HTTP date relative to `now`.
    public static func parseRetryAfter(_ value: String?, now: Date = Date()) -> Double? {
        guard let v = value?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { return nil }
        if let s = Double(v), s.isFinite, s >= 0 { return s }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let d = f.date(from: v) else { return nil }
        return max(0, d.timeIntervalSince(now))
    }
}
