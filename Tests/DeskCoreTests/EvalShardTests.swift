import DeskCore
import Foundation
import Testing

/// `--shard I/N`: parsing, and that the slices partition a suite the same way every time.
struct EvalShardTests {
    static let ids = (1...27).map { "group\($0 % 4)/task-\($0)" }

    @Test(arguments: [("0/1", 0, 1), ("3/4", 3, 4), (" 1 / 2 ", 1, 2)])
    func parses(text: String, index: Int, count: Int) throws {
        let shard = try EvalShard(parsing: text)
        #expect(shard.index == index)
        #expect(shard.count == count)
    }

    @Test(arguments: ["4/4", "-1/3", "1/0", "1", "a/b", "1/2/3", ""])
    func rejectsBadShards(text: String) {
        #expect(throws: InputError.self) { try EvalShard(parsing: text) }
    }

    @Test(arguments: [1, 2, 3, 4, 7, 27, 40])
    func slicesPartitionTheSuite(count: Int) throws {
        var seen: [String: Int] = [:]
        var sizes: [Int] = []
        for index in 0..<count {
            let slice = try EvalShard(index: index, count: count).select(ids: Self.ids)
            sizes.append(slice.count)
            for id in slice { seen[id, default: 0] += 1 }
        }
        // Every task in exactly one shard, and the shards as even as can be.
        #expect(Set(seen.keys) == Set(Self.ids))
        #expect(seen.values.allSatisfy { $0 == 1 })
        #expect((sizes.max() ?? 0) - (sizes.min() ?? 0) <= 1)
    }

    @Test func slicingIgnoresDiscoveryOrder() throws {
        let shard = try EvalShard(index: 1, count: 3)
        let a = shard.select(ids: Self.ids)
        let b = shard.select(ids: Self.ids.reversed())
        let c = shard.select(ids: Self.ids.shuffled())
        #expect(a == b)
        #expect(a == c)
        #expect(a == a.sorted())
    }

    /// Pinned, so a change to the slicing (which would move tasks between machines mid-rollout) is deliberate.
    @Test func slicingIsPinned() throws {
        let ids = ["a/1", "a/2", "b/1", "b/2", "c/1"]
        #expect(try EvalShard(index: 0, count: 2).select(ids: ids) == ["a/1", "b/1", "c/1"])
        #expect(try EvalShard(index: 1, count: 2).select(ids: ids) == ["a/2", "b/2"])
        #expect(EvalShard.whole.select(ids: ids.reversed()) == ids)
    }

    @Test func codableRoundTripValidates() throws {
        let data = try JSONEncoder().encode(try EvalShard(index: 2, count: 5))
        #expect(try JSONDecoder().decode(EvalShard.self, from: data) == EvalShard(index: 2, count: 5))
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(EvalShard.self, from: Data(#"{"index":5,"count":5}"#.utf8))
        }
    }
}
