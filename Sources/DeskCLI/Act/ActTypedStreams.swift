import DeskAgent
import DeskCore
import Foundation

/// The typed-text streams of `act` on one display, carried from one command to the next as the daemon
/// carries them from one call to the next: `act type "rm -r"` then `act type " -f /"` is judged as one
/// stream. Kept in a 0600 file in the private runtime folder (`$XDG_RUNTIME_DIR/deskpilot`, else
/// `<tmp>/deskpilot-<uid>`), forgotten ``lifetime`` seconds after the last command wrote it.
struct ActTypedStreams {
    /// How long the streams outlive the last `act` command.
    static let lifetime = 60.0

    let path: String

    init(display: String, environment: [String: String] = ProcessInfo.processInfo.environment) {
        let folder = RuntimeLocation.directory(environment: environment, uid: geteuid(),
                                               temporaryDirectory: NSTemporaryDirectory())
        path = folder + "/typed-" + display.replacingOccurrences(of: "/", with: "_") + ".json"
    }

    private struct Saved: Codable {
        var savedAt: Date
        var streams: [String: TypedStream]
    }

    /// The streams an earlier command left, unless they expired or cannot be read (then none).
    func load(now: Date = Date()) -> [String: TypedStream] {
        guard let data = FileManager.default.contents(atPath: path),
              let saved = try? JSONDecoder().decode(Saved.self, from: data),
              now.timeIntervalSince(saved.savedAt) < Self.lifetime, now >= saved.savedAt
        else { return [:] }
        return saved.streams
    }

    /// Saves `streams` for the next command; a failure only costs the carry-over, so it is reported, not thrown.
    func save(_ streams: [String: TypedStream], now: Date = Date()) -> String? {
        let folder = (path as NSString).deletingLastPathComponent
        do {
            try RunRegistry.ensurePrivateDirectory(folder)
            let data = try JSONEncoder().encode(Saved(savedAt: now, streams: streams))
            let temporary = path + ".\(getpid()).tmp"
            guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600]) else {
                return "cannot write \(temporary)"
            }
            guard rename(temporary, path) == 0 else {
                unlink(temporary)
                return "cannot replace \(path): \(String(cString: strerror(errno)))"
            }
            return nil
        } catch {
            return "\(error)"
        }
    }
}
