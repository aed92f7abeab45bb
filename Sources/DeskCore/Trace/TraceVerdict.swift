/// The policy verdict on one action, as traces spell it.
///
/// A string-backed struct rather than an enum so a verdict added later still reads in an older build.
public struct TraceVerdict: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let allow = TraceVerdict(rawValue: "allow")
    public static let deny = TraceVerdict(rawValue: "deny")
    /// A confirmation was asked for and not (yet) answered.
    public static let confirm = TraceVerdict(rawValue: "confirm")
    /// A person confirmed it.
    public static let confirmed = TraceVerdict(rawValue: "confirmed")
    public static let deniedByPerson = TraceVerdict(rawValue: "denied_by_person")
    /// Allowed, but not executed because the run is a dry run.
    public static let dryRun = TraceVerdict(rawValue: "dry_run")

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }
}
