/// One deterministic slice of a suite: `--shard I/N`, 0-based like Kubernetes' `JOB_COMPLETION_INDEX`.
///
/// Tasks are sorted by id and dealt round-robin: the task at sorted position `p` belongs to shard `p % N`.
/// Every task is in exactly one shard, the slices differ in size by at most one, groups (which sort
/// together) are spread over the shards, and the slicing depends only on the set of ids — not on the order
/// the files were found in, the machine, or the time.
public struct EvalShard: Sendable, Hashable, Codable, CustomStringConvertible {
    /// 0-based, below ``count``.
    public let index: Int
    public let count: Int

    /// The whole suite: `0/1`.
    public static let whole = EvalShard(uncheckedIndex: 0, count: 1)

    private init(uncheckedIndex: Int, count: Int) {
        self.index = uncheckedIndex
        self.count = count
    }

    /// A shard; throws ``InputError`` unless `0 <= index < count`.
    public init(index: Int, count: Int) throws(InputError) {
        guard count >= 1 else { throw InputError("--shard: the shard count must be at least 1 (got \(count))") }
        guard index >= 0, index < count else {
            throw InputError("--shard: the index must be from 0 to \(count - 1) (0-based, like JOB_COMPLETION_INDEX); got \(index)")
        }
        self.index = index
        self.count = count
    }

    /// Parses `I/N` (`0/4`, `3/4`).
    public init(parsing text: String) throws(InputError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2,
              let i = Int(parts[0].trimmingCharacters(in: .whitespaces)),
              let n = Int(parts[1].trimmingCharacters(in: .whitespaces))
        else { throw InputError("--shard wants I/N with 0 <= I < N, e.g. 0/4 (got '\(text)')") }
        try self.init(index: i, count: n)
    }

    /// `I/N`.
    public var description: String { "\(index)/\(count)" }

    /// True for `0/1`.
    public var isWhole: Bool { count == 1 }

    /// The items of this shard, in id order.
    public func select<Item>(_ items: [Item], id: (Item) -> String) -> [Item] {
        let sorted = items.sorted { id($0) < id($1) }
        return sorted.enumerated().filter { $0.offset % count == index }.map(\.element)
    }

    /// The ids of this shard, sorted.
    public func select(ids: [String]) -> [String] { select(ids, id: { $0 }) }

    enum CodingKeys: String, CodingKey { case index, count }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let index = try c.decode(Int.self, forKey: .index)
        let count = try c.decode(Int.self, forKey: .count)
        do {
            try self.init(index: index, count: count)
        } catch {
            throw DecodingError.dataCorruptedError(forKey: .index, in: c, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(index, forKey: .index)
        try c.encode(count, forKey: .count)
    }
}
