import DeskCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The run registry on disk: one small JSON file per running deskpilot process under
/// `<runtime dir>/runs/` (see ``RuntimeLocation``), removed when the process ends. Files of processes
/// that died without cleaning up are ignored and removed when listed.
public struct RunRegistry: Sendable {
    /// The runtime folder (the registry lives in its `runs/` subfolder).
    public let directory: String

    public init(directory: String) { self.directory = directory }

    /// The registry of the current user, from the environment.
    public static func current(environment: [String: String] = ProcessInfo.processInfo.environment) -> RunRegistry {
        RunRegistry(directory: RuntimeLocation.directory(environment: environment, uid: geteuid(),
                                                         temporaryDirectory: NSTemporaryDirectory()))
    }

    var runsDirectory: String { directory + "/runs" }

    /// Creates `path` (and parents) with mode 0700 if missing, and checks it is a folder the current user
    /// owns that nobody else can enter: the sockets and registry in it control the keyboard.
    public static func ensurePrivateDirectory(_ path: String) throws(EnvironmentError) {
        var info = stat()
        if lstat(path, &info) != 0 {
            do {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])
            } catch {
                throw EnvironmentError("cannot create \(path): \(error.localizedDescription)")
            }
            guard lstat(path, &info) == 0 else { throw EnvironmentError("cannot create \(path)") }
        }
        guard (info.st_mode & S_IFMT) == S_IFDIR else {
            throw EnvironmentError("\(path) is not a folder (a symbolic link or a file is in the way)")
        }
        guard info.st_uid == geteuid() else {
            throw EnvironmentError("\(path) belongs to uid \(info.st_uid), not to you (uid \(geteuid())); refusing to use it")
        }
        if info.st_mode & 0o077 != 0 {
            guard chmod(path, 0o700) == 0 else { throw EnvironmentError("cannot make \(path) private (chmod 0700)") }
        }
    }

    /// Registers `registration`; the returned token removes it.
    @discardableResult
    public func register(_ registration: RunRegistration) throws(EnvironmentError) -> Token {
        try Self.ensurePrivateDirectory(directory)
        try Self.ensurePrivateDirectory(runsDirectory)
        let path = runsDirectory + "/" + registration.fileName
        do {
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            encoder.outputFormatting = [.sortedKeys]
            try encoder.encode(registration).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw EnvironmentError("cannot write the run registration \(path): \(error.localizedDescription)")
        }
        return Token(path: path)
    }

    /// The live registrations (files of dead processes are removed on the way).
    public func list() -> [RunRegistration] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: runsDirectory) else { return [] }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        var out: [RunRegistration] = []
        for name in names.sorted() where name.hasSuffix(".json") {
            let path = runsDirectory + "/" + name
            guard let data = FileManager.default.contents(atPath: path),
                  let entry = try? decoder.decode(RunRegistration.self, from: data) else { continue }
            if kill(entry.pid, 0) != 0 && errno == ESRCH {
                try? FileManager.default.removeItem(atPath: path)
                continue
            }
            out.append(entry)
        }
        return out
    }

    /// Removes a registration when its run ends.
    public struct Token: Sendable {
        public let path: String
        public func remove() { try? FileManager.default.removeItem(atPath: path) }
    }
}
