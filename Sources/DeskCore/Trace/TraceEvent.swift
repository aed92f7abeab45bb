import Foundation

/// One line of `trace.jsonl`.
///
/// On disk every event is one JSON object with a `type` field (`run_start`, `step`, `check`,
/// `run_end`) and snake_case keys; encode and decode with ``TraceCoding`` so times are ISO 8601.
/// Events of a type this build does not know are kept as ``other(type:fields:)`` instead of
/// being dropped, so an older `trace show` still reads a newer trace.
public enum TraceEvent: Sendable, Hashable, Codable {
    case runStart(RunStartEvent)
    case step(StepEvent)
    case check(CheckEvent)
    case runEnd(RunEndEvent)
    /// An event type this build does not know, with all of its fields (including `type`).
    case other(type: String, fields: JSONValue)

    /// The `type` field as written on disk.
    public var type: String {
        switch self {
        case .runStart: RunStartEvent.type
        case .step: StepEvent.type
        case .check: CheckEvent.type
        case .runEnd: RunEndEvent.type
        case .other(let type, _): type
        }
    }

    private enum TypeKey: String, CodingKey { case type }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: TypeKey.self)
        let type = try container.decode(String.self, forKey: .type)
        switch type {
        case RunStartEvent.type: self = .runStart(try RunStartEvent(from: decoder))
        case StepEvent.type: self = .step(try StepEvent(from: decoder))
        case CheckEvent.type: self = .check(try CheckEvent(from: decoder))
        case RunEndEvent.type: self = .runEnd(try RunEndEvent(from: decoder))
        default: self = .other(type: type, fields: try JSONValue(from: decoder))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .other(let type, let fields):
            // Keep the type the event was read with even if `fields` lost it.
            if case .object(var object) = fields {
                object["type"] = .string(type)
                try JSONValue.object(object).encode(to: encoder)
            } else {
                var container = encoder.container(keyedBy: TypeKey.self)
                try container.encode(type, forKey: .type)
            }
            return
        default:
            break
        }
        var container = encoder.container(keyedBy: TypeKey.self)
        try container.encode(type, forKey: .type)
        switch self {
        case .runStart(let e): try e.encode(to: encoder)
        case .step(let e): try e.encode(to: encoder)
        case .check(let e): try e.encode(to: encoder)
        case .runEnd(let e): try e.encode(to: encoder)
        case .other: break
        }
    }
}
