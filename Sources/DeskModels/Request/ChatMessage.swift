import Foundation

/// One message of an OpenAI-style chat: a role and either plain text or a list of parts
/// (text and `image_url` data URLs).
public struct ChatMessage: Sendable, Hashable, Codable {
    public enum Role: String, Sendable, Hashable, Codable {
        case system, user, assistant, tool
    }

    /// Plain text, or parts. Plain text is sent as a JSON string, which every server accepts for
    /// system and assistant turns (some reject arrays there).
    public enum Content: Sendable, Hashable, Codable {
        case text(String)
        case parts([ContentPart])

        public init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let s = try? c.decode(String.self) { self = .text(s) } else { self = .parts(try c.decode([ContentPart].self)) }
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case .text(let s): try c.encode(s)
            case .parts(let p): try c.encode(p)
            }
        }
    }

    public var role: Role
    public var content: Content

    public init(role: Role, content: Content) {
        self.role = role
        self.content = content
    }

    public static func system(_ text: String) -> ChatMessage { ChatMessage(role: .system, content: .text(text)) }
    public static func user(_ text: String) -> ChatMessage { ChatMessage(role: .user, content: .text(text)) }
    public static func assistant(_ text: String) -> ChatMessage { ChatMessage(role: .assistant, content: .text(text)) }
    public static func user(_ parts: [ContentPart]) -> ChatMessage { ChatMessage(role: .user, content: .parts(parts)) }

    /// All text of the message joined (images left out).
    public var text: String {
        switch content {
        case .text(let s): return s
        case .parts(let parts): return parts.compactMap(\.text).joined(separator: "\n")
        }
    }

    /// The image data URLs of the message, in order.
    public var imageURLs: [String] {
        guard case .parts(let parts) = content else { return [] }
        return parts.compactMap(\.imageURL)
    }
}

/// A part of a user message: `{"type":"text","text":…}` or `{"type":"image_url","image_url":{"url":…}}`.
public enum ContentPart: Sendable, Hashable, Codable {
    case text(String)
    case imageURL(String)

    private enum Keys: String, CodingKey { case type, text, image_url }
    private enum URLKeys: String, CodingKey { case url }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        let type = try c.decode(String.self, forKey: .type)
        switch type {
        case "text": self = .text(try c.decode(String.self, forKey: .text))
        case "image_url":
            let u = try c.nestedContainer(keyedBy: URLKeys.self, forKey: .image_url)
            self = .imageURL(try u.decode(String.self, forKey: .url))
        default:
            throw DecodingError.dataCorruptedError(forKey: .type, in: c, debugDescription: "unknown content part type '\(type)'")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        switch self {
        case .text(let s):
            try c.encode("text", forKey: .type)
            try c.encode(s, forKey: .text)
        case .imageURL(let url):
            try c.encode("image_url", forKey: .type)
            var u = c.nestedContainer(keyedBy: URLKeys.self, forKey: .image_url)
            try u.encode(url, forKey: .url)
        }
    }

    /// An image part from encoded bytes, as a `data:` URL.
    public static func image(_ image: EncodedImage) -> ContentPart { .imageURL(image.dataURL) }

    public var text: String? { if case .text(let s) = self { return s }; return nil }
    public var imageURL: String? { if case .imageURL(let u) = self { return u }; return nil }
}
