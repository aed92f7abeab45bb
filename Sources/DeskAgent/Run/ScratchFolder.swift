import DeskCore
import Foundation

/// A private folder (mode 0700) for one run's files, handed to the task file's `${env:DESKPILOT_SCRATCH}`
/// references and to its commands. `deskpilot run` makes one per run; the daemon and MCP make one per job,
/// so nothing a job leaves behind (a fixture's log) can make another job's checks pass.
public struct ScratchFolder: Sendable, Hashable {
    /// The environment variable that names the folder.
    public static let variable = "DESKPILOT_SCRATCH"

    public let path: String

    public init(path: String) { self.path = path }

    /// Makes a fresh folder in `parent` (the temporary directory by default); `label` says whose it is
    /// (`run`, `job`).
    public static func create(label: String, in parent: String = NSTemporaryDirectory()) throws(EnvironmentError) -> ScratchFolder {
        let base = parent.hasSuffix("/") ? parent : parent + "/"
        let path = base + "deskpilot-\(label)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw EnvironmentError("cannot create a scratch folder \(path): \(error.localizedDescription)")
        }
        return ScratchFolder(path: path)
    }

    /// `base` with ``variable`` naming this folder (replacing any value `base` had).
    public func environment(_ base: [String: String]) -> [String: String] {
        var environment = base
        environment[Self.variable] = path
        return environment
    }

    /// Removes the folder and everything in it.
    public func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Copies the folder to `destination` (a new path) and removes it, to keep what the run left beside its
    /// trace (a copy, because the trace may be on another file system than the temporary directory).
    public func move(to destination: String) throws(EnvironmentError) {
        do {
            try FileManager.default.copyItem(atPath: path, toPath: destination)
            remove()
        } catch {
            throw EnvironmentError("cannot keep the scratch folder \(path) as \(destination): \(error.localizedDescription)")
        }
    }
}
