import Foundation

/// The result of one task check (`file_exists`, `window_title`, ...).
public struct CheckEvent: Sendable, Hashable, Codable {
    public static let type = "check"

    public var name: String
    public var passed: Bool
    public var detail: String?
    public var time: Date?

    public init(name: String, passed: Bool, detail: String? = nil, time: Date? = nil) {
        self.name = name
        self.passed = passed
        self.detail = detail
        self.time = time
    }
}
