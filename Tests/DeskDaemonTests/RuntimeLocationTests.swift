import DeskAgent
import DeskCore
@testable import DeskDaemon
import Foundation
import Testing
import DeskTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Where sockets and the run registry live, and the registry itself.
@Suite(.ownThread) struct RuntimeLocationTests {
    @Test func theRuntimeFolderFollowsXDGOrFallsBackToAPrivateTempFolder() {
        #expect(RuntimeLocation.directory(environment: ["XDG_RUNTIME_DIR": "/run/user/1000/"], uid: 1000,
                                          temporaryDirectory: "/tmp/") == "/run/user/1000/deskpilot")
        #expect(RuntimeLocation.directory(environment: ["XDG_RUNTIME_DIR": "relative"], uid: 7,
                                          temporaryDirectory: "/tmp/") == "/tmp/deskpilot-7")
        #expect(RuntimeLocation.directory(environment: [:], uid: 0, temporaryDirectory: "/var/tmp") == "/var/tmp/deskpilot-0")
        #expect(RuntimeLocation.displaySocket(directory: "/r", display: ":1") == "/r/:1.sock")
        #expect(RuntimeLocation.poolSocket(directory: "/r") == "/r/pool.sock")
    }

    @Test func daemonSocketsFollowTheOptionTheVariableThenTheDisplay() {
        let env = ["XDG_RUNTIME_DIR": "/run/user/5"]
        #expect(SocketLocation.forDaemon(explicit: "/x.sock", display: ":1", environment: env) == "/x.sock")
        #expect(SocketLocation.forDaemon(explicit: nil, display: ":1",
                                         environment: env.merging(["DESKPILOT_SOCKET": "/y.sock"]) { a, _ in a }) == "/y.sock")
        #expect(SocketLocation.forDaemon(explicit: nil, display: ":1", environment: env) == "/run/user/5/deskpilot/:1.sock")
        #expect(SocketLocation.forDaemon(explicit: nil, display: nil, environment: env) == "/run/user/5/deskpilot/pool.sock")
    }

    @Test(arguments: [(":0", ":0.0", true), ("unix:0", ":0", true), (":1", ":0", false), ("host:0", ":0", false)])
    func displayNamesCompareByServer(a: String, b: String, same: Bool) {
        #expect(RunRegistration.sameDisplay(a, b) == same)
    }

    @Test func clientsFindTheDisplaysDaemonThenThePoolThenTheOnlySocket() async throws {
        let dir = try DaemonBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let env = ["XDG_RUNTIME_DIR": dir, "DISPLAY": ":5.0"]
        // No socket at all: the path a daemon for $DISPLAY would use, so the error names it.
        #expect(SocketLocation.forClient(explicit: nil, environment: env) == dir + "/deskpilot/:5.0.sock")
        let pool = try DaemonHarness(displays: [FakeDisplay(name: ":6")])
        try await pool.service.start(socketPath: dir + "/deskpilot/pool.sock")
        #expect(SocketLocation.forClient(explicit: nil, environment: env) == dir + "/deskpilot/pool.sock")
        #expect(SocketLocation.forClient(explicit: nil, environment: ["XDG_RUNTIME_DIR": dir]) == dir + "/deskpilot/pool.sock")
        let own = try DaemonHarness(displays: [FakeDisplay(name: ":5")])
        try await own.service.start(socketPath: dir + "/deskpilot/:5.sock")
        #expect(SocketLocation.forClient(explicit: nil, environment: env) == dir + "/deskpilot/:5.sock")
        await own.service.shutdown(reason: "test")
        await pool.service.shutdown(reason: "test")
    }

    @Test func thePrivateFolderCheckFixesModesAndRefusesWhatIsNotAFolder() throws {
        let dir = try DaemonBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let open = dir + "/open"
        try FileManager.default.createDirectory(atPath: open, withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o755])
        try RunRegistry.ensurePrivateDirectory(open)
        var info = stat()
        #expect(lstat(open, &info) == 0 && info.st_mode & 0o777 == 0o700)
        let file = dir + "/file"
        #expect(FileManager.default.createFile(atPath: file, contents: Data()))
        #expect(throws: EnvironmentError.self) { try RunRegistry.ensurePrivateDirectory(file) }
        let created = dir + "/new/deeper"
        try RunRegistry.ensurePrivateDirectory(created)
        #expect(lstat(created, &info) == 0 && info.st_mode & 0o777 == 0o700)
    }

    @Test func theRegistryListsLiveRunsAndForgetsDeadOnes() throws {
        let dir = try DaemonBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let registry = RunRegistry(directory: dir + "/deskpilot")
        let mine = try registry.register(RunRegistration(pid: getpid(), display: ":3", kind: .agent, summary: "goal"))
        // A pid that cannot be alive (above pid_max).
        _ = try registry.register(RunRegistration(pid: 9_999_999, display: ":3", kind: .task, summary: "dead"))
        let live = registry.list()
        #expect(live.map(\.pid) == [getpid()])
        #expect(live.first?.drives(":3.0") == true && live.first?.drives(":4") == false)
        #expect(!FileManager.default.fileExists(atPath: dir + "/deskpilot/runs/9999999.json"))
        mine.remove()
        #expect(registry.list().isEmpty)
    }
}
