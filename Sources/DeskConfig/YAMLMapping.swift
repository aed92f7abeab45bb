/// A YAML mapping whose keys were checked against the allowed ones; values keep their positions.
struct YAMLMapping {
    let entries: [(key: String, keyNode: YAMLNode, value: YAMLNode)]
    /// The mapping itself, for "missing key" errors.
    let node: YAMLNode
    /// What the mapping is, for messages (`the policy`, `a click step`).
    let what: String

    /// The value for `key`, or `nil` when absent or written as null (`key:` with nothing after it).
    func optional(_ key: String) -> YAMLNode? {
        guard let value = entries.first(where: { $0.key == key })?.value, !value.isNull else { return nil }
        return value
    }

    /// The value for `key`; missing is an error pointing at the mapping.
    func required(_ key: String) throws(ConfigError) -> YAMLNode {
        guard let value = optional(key) else { throw node.error("\(what) needs '\(key)'") }
        return value
    }

    /// True when `key` is written (even with a null value).
    func has(_ key: String) -> Bool { entries.contains { $0.key == key } }

    /// The keys present, in file order.
    var keys: [String] { entries.map(\.key) }

    /// The node of the key itself, for errors about the key.
    func keyNode(_ key: String) -> YAMLNode? { entries.first { $0.key == key }?.keyNode }
}
