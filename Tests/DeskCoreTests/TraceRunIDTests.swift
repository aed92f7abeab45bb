import DeskCore
import Foundation
import Testing

@Suite("Run ids")
struct TraceRunIDTests {
    private struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state
        }
    }

    @Test func generatedIdHasTheDateTimeAndHexSuffix() throws {
        let utc = try #require(TimeZone(identifier: "UTC"))
        let date = Date(timeIntervalSince1970: 1_750_000_000) // 2025-06-15 15:06:40 UTC
        var rng = Seeded(state: 42)
        let id = RunID.generate(at: date, timeZone: utc, using: &rng)
        #expect(id.rawValue.hasPrefix("20250615-150640-"))
        #expect(id.rawValue.count == 20)
        #expect(RunID.isValid(id.rawValue))
    }

    @Test func twoIdsInTheSameSecondDiffer() {
        let date = Date()
        let ids = Set((0..<20).map { _ in RunID.generate(at: date).rawValue })
        #expect(ids.count > 1)
    }

    @Test(arguments: ["20250615-150640-ab12", "19991231-235959-0000", "20240229-000000-ffff"])
    func validIds(_ text: String) {
        #expect(RunID(text) != nil)
    }

    @Test(arguments: ["", "20250615-150640", "20250615-150640-AB12", "20251315-150640-ab12", "20250615-250640-ab12",
                      "20250600-150640-ab12", "2025061-1506400-ab12", "20250615_150640_ab12", "20250615-150640-ab1g",
                      "../../etc/passwd-abcd"])
    func invalidIds(_ text: String) {
        #expect(RunID(text) == nil)
    }

    @Test func idsSortByTime() throws {
        let a = try #require(RunID("20250615-150640-ffff"))
        let b = try #require(RunID("20250615-150641-0000"))
        #expect(a < b)
    }
}
