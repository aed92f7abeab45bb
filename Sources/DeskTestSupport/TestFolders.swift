import Foundation

/// Fresh folders for tests, all inside one parent per test process that is removed when the process exits:
/// tests keep their folders to the end (a failing one can be looked at while it runs) and none pile up in
/// the temporary directory across runs.
public enum TestFolders {
    /// `deskpilot-tests-<pid>-<random>` in the temporary directory, made on first use. Mode 0711: nobody can
    /// list it, but the tests that run a daemon as another user (`nobody`) can reach the folder they give it.
    public static let parent: String = {
        let path = NSTemporaryDirectory() + "deskpilot-tests-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                 attributes: [.posixPermissions: 0o711])
        atexit { try? FileManager.default.removeItem(atPath: TestFolders.parent) }
        return path
    }()

    /// A new empty folder (mode 0700) named `label-<random>` inside ``parent``.
    public static func make(_ label: String) throws -> String {
        let path = parent + "/\(label)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        return path
    }
}
