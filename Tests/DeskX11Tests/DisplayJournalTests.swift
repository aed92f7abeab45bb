import DeskCore
@testable import DeskX11
import Foundation
import Testing
import DeskTestSupport

/// The runtime journal's files and locks, without a display: a live journal is never taken for a dead one,
/// a closed one is, and what it recorded comes back intact.
@Suite("Display journal", .ownThread)
struct DisplayJournalTests {
    static func folder() -> String {
        NSTemporaryDirectory() + "deskpilot-journal-test-\(UUID().uuidString)/journal"
    }

    @Test func aLiveJournalIsSeenAsLiveAndAClosedOneAsDead() throws {
        let dir = Self.folder()
        defer { try? FileManager.default.removeItem(atPath: (dir as NSString).deletingLastPathComponent) }
        var first: DisplayJournal? = try DisplayJournal(display: ":7", directory: dir)
        first?.update { r in
            r.keys = [38]
            r.buttons = [1]
            r.spareKeys = [200: [0x100263, 0x100262]]
            r.spareDevice = 256
        }
        let second = try DisplayJournal(display: ":7.0", directory: dir)
        let other = try DisplayJournal(display: ":70", directory: dir)
        let live = second.others()
        #expect(live.count == 1, "\(live.map(\.path))")
        #expect(live.first?.heldLock == nil)
        #expect(live.first?.record?.buttons == [1])
        first = nil  // closes its descriptor: the lock is free, as after the process's death
        let dead = second.others()
        #expect(dead.count == 1 && dead.first?.heldLock != nil)
        #expect(dead.first?.record?.spareKeys == [200: [0x100263, 0x100262]] && dead.first?.record?.spareDevice == 256)
        #expect(JournalRecovery.pid(of: dead[0].path) == String(getpid()))
        for found in dead { DisplayJournal.finish(found) }
        #expect(second.others().isEmpty)
        #expect(other.others().isEmpty)
    }

    @Test func filesArePrivateAndAnEmptyRecordLeavesNoRecordFile() throws {
        let dir = Self.folder()
        defer { try? FileManager.default.removeItem(atPath: (dir as NSString).deletingLastPathComponent) }
        let journal = try DisplayJournal(display: ":8", directory: dir)
        journal.update { $0.repeatOff = [24] }
        let json = journal.base + ".json"
        #expect((try FileManager.default.attributesOfItem(atPath: json)[.posixPermissions] as? Int) == 0o600)
        #expect((try FileManager.default.attributesOfItem(atPath: dir)[.posixPermissions] as? Int) == 0o700)
        journal.update { $0.repeatOff = [] }
        #expect(!FileManager.default.fileExists(atPath: json))
        journal.remove()
        #expect(!FileManager.default.fileExists(atPath: journal.base + ".lock"))
    }

    @Test func displayNamesMapToTheirServer() {
        #expect(DisplayJournal.fileName(forDisplay: ":5.0") == ":5")
        #expect(DisplayJournal.fileName(forDisplay: ":5") == ":5")
        #expect(DisplayJournal.fileName(forDisplay: "host/unix:12.1") == "host_unix:12")
    }
}
