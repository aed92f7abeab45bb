import DeskCore
import DeskDaemon
import Foundation
import Testing
import DeskTestSupport

/// `--socket` in a folder the user chose: deskpilot never changes an existing folder's mode (a socket in
/// /tmp must not make /tmp private), but refuses a folder where the socket could be swapped.
@Suite(.ownThread) struct SocketFolderTests {
    func makeFolder(mode: mode_t) throws -> String {
        let dir = NSTemporaryDirectory() + "deskpilot-folder-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false)
        #expect(chmod(dir, mode) == 0)
        return dir
    }

    func mode(_ path: String) -> mode_t {
        var info = stat()
        _ = lstat(path, &info)
        return info.st_mode & 0o7777
    }

    @Test func anExistingStickySharedFolderKeepsItsMode() throws {
        let dir = try makeFolder(mode: 0o1777)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try SocketLocation.prepareDirectory(for: dir + "/d.sock", environment: ["XDG_RUNTIME_DIR": "/nonexistent-runtime"])
        #expect(mode(dir) == 0o1777)
    }

    @Test func anExistingOrdinaryFolderKeepsItsMode() throws {
        let dir = try makeFolder(mode: 0o755)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try SocketLocation.prepareDirectory(for: dir + "/d.sock", environment: ["XDG_RUNTIME_DIR": "/nonexistent-runtime"])
        #expect(mode(dir) == 0o755)
    }

    @Test func aWorldWritableFolderWithoutStickyBitIsRefused() throws {
        let dir = try makeFolder(mode: 0o777)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(throws: EnvironmentError.self) {
            try SocketLocation.prepareDirectory(for: dir + "/d.sock", environment: ["XDG_RUNTIME_DIR": "/nonexistent-runtime"])
        }
        #expect(mode(dir) == 0o777)
    }

    @Test func theRuntimeFolderIsMadePrivate() throws {
        let dir = try makeFolder(mode: 0o755)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try SocketLocation.prepareDirectory(for: dir + "/deskpilot/pool.sock", environment: ["XDG_RUNTIME_DIR": dir])
        #expect(mode(dir + "/deskpilot") == 0o700)
    }

    @Test func aMissingChosenFolderIsCreatedPrivate() throws {
        let parent = try makeFolder(mode: 0o755)
        defer { try? FileManager.default.removeItem(atPath: parent) }
        try SocketLocation.prepareDirectory(for: parent + "/new/d.sock", environment: ["XDG_RUNTIME_DIR": "/nonexistent-runtime"])
        #expect(mode(parent + "/new") == 0o700)
        #expect(mode(parent) == 0o755)
    }
}
