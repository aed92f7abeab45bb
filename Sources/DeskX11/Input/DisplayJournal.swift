import DeskCore
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// What one deskpilot input injector changed on a display and has not undone yet: the runtime journal
/// that lets the next deskpilot command undo what a SIGKILLed one left (issue 15, item 9).
struct JournalRecord: Codable, Equatable, Sendable {
    /// Spare keycodes bound (keycode → the keysyms bound there: lower, then upper), on ``spareDevice``.
    var spareKeys: [UInt8: [UInt32]] = [:]
    var spareDevice: UInt32?
    /// Keycodes this injector may hold down (pressed since the last time everything was let go): recovery
    /// releases those the server still reports down.
    var keys: Set<UInt8> = []
    /// Physical pointer buttons this injector may hold down.
    var buttons: Set<UInt32> = []
    /// Keys whose per-key autorepeat this injector turned off.
    var repeatOff: Set<UInt8> = []
    /// Keys `act press` leaves down on purpose after its process exits; the next command adopts them and
    /// judges them again instead of releasing them.
    var kept: [KeptKey] = []
    /// MouseKeys as the injector found it, once it sent a key that might switch it.
    var mouseKeysFound: Bool?

    /// True when there is nothing to undo.
    var isEmpty: Bool {
        spareKeys.isEmpty && keys.isEmpty && buttons.isEmpty && repeatOff.isEmpty && kept.isEmpty && mouseKeysFound == nil
    }
}

/// A key left down on purpose (`act press`): its name as given, and the keycodes pressed for it (the level
/// modifiers first, the key last).
public struct KeptKey: Codable, Equatable, Hashable, Sendable {
    public var name: String
    public var keycodes: [UInt8]
}

/// The journal files of one display in the private runtime folder (`<runtime>/journal/`), one pair per
/// injector: `<display>@<pid>.<n>.lock`, which the injector holds an exclusive `flock` on for as long as it
/// lives, and `<display>@<pid>.<n>.json`, the record, replaced atomically (rename) on every change.
///
/// The kernel drops a dead process's lock, so a journal whose lock can be taken belongs to an injector that
/// is gone, and one that cannot belongs to a live one, whose holdings are never touched. The lock file is
/// created under a temporary name and renamed into place once locked, so no other process can see it
/// unlocked.
final class DisplayJournal: Sendable {
    let directory: String
    let display: String
    let base: String
    private let lockDescriptor: Int32
    private let record = Mutex(JournalRecord())
    /// Set once ``remove()`` deleted the files: the injector is done, nothing more is written.
    private let removed = Mutex(false)
    private static let counter = Mutex(0)

    /// The journal folder for the current user (`$XDG_RUNTIME_DIR/deskpilot/journal` or the private temp
    /// folder's `journal`).
    static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        RuntimeLocation.directory(environment: environment, uid: geteuid(), temporaryDirectory: NSTemporaryDirectory())
            + "/journal"
    }

    /// The name a display's journals are filed under: the server part of the display name (`:5.0` and `:5`
    /// are the same server), with `/` replaced.
    static func fileName(forDisplay name: String) -> String {
        var server = name
        if let colon = server.lastIndex(of: ":"), let dot = server[colon...].firstIndex(of: ".") {
            server = String(server[..<dot])
        }
        return server.replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "@", with: "_")
    }

    /// Creates and locks a new journal for this process on `display`.
    init(display: String, directory: String = DisplayJournal.defaultDirectory()) throws {
        try Self.ensurePrivateDirectory(directory)
        let number = Self.counter.withLock { n in
            n += 1
            return n
        }
        self.directory = directory
        self.display = Self.fileName(forDisplay: display)
        base = directory + "/" + self.display + "@\(getpid()).\(number)"
        let temporary = base + ".lock.tmp"
        let fd = open(temporary, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw EnvironmentError("cannot create the input journal \(temporary): \(String(cString: strerror(errno)))") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0, rename(temporary, base + ".lock") == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            unlink(temporary)
            throw EnvironmentError("cannot lock the input journal \(base).lock: \(reason)")
        }
        lockDescriptor = fd
    }

    deinit {
        close(lockDescriptor)
    }

    /// The record as it is now.
    var current: JournalRecord { record.withLock { $0 } }

    /// Changes the record and, when it changed, writes it before returning (so it is on disk before the
    /// change it describes reaches the server); an empty record removes the file.
    func update(_ change: (inout JournalRecord) -> Void) {
        record.withLock { r in
            let before = r
            change(&r)
            guard r != before else { return }
            write(r)
        }
    }

    private func write(_ r: JournalRecord) {
        if removed.withLock({ $0 }) { return }
        if r.isEmpty {
            unlink(base + ".json")
            return
        }
        guard let data = try? JSONEncoder().encode(r) else { return }
        let temporary = base + ".json.tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return }
        let written = data.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        close(fd)
        if written == data.count { rename(temporary, base + ".json") } else { unlink(temporary) }
    }

    /// Removes this journal's files (nothing left to undo) and drops the lock.
    func remove() {
        guard removed.withLock({ done in
            defer { done = true }
            return !done
        }) else { return }
        record.withLock { r in
            r = JournalRecord()
            unlink(base + ".json")
            unlink(base + ".lock")
        }
    }

    /// A journal found on disk: its record, and whether its injector is gone.
    struct Found {
        var path: String
        var record: JournalRecord?
        /// The lock descriptor, held, when the owner is dead (the caller undoes and then ``finish(_:)``es it).
        var heldLock: Int32?
    }

    /// The other journals of this display: the dead ones locked (their owner is gone) and the live ones
    /// only read.
    func others() -> [Found] {
        let prefix = display + "@"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var found: [Found] = []
        for name in names.sorted() where name.hasPrefix(prefix) && name.hasSuffix(".lock") {
            let path = directory + "/" + String(name.dropLast(".lock".count))
            guard path != base else { continue }
            let fd = open(path + ".lock", O_RDWR | O_CLOEXEC)
            guard fd >= 0 else { continue }
            let dead = flock(fd, LOCK_EX | LOCK_NB) == 0
            let record = FileManager.default.contents(atPath: path + ".json").flatMap {
                try? JSONDecoder().decode(JournalRecord.self, from: $0)
            }
            if dead {
                found.append(Found(path: path, record: record, heldLock: fd))
            } else {
                close(fd)
                found.append(Found(path: path, record: record, heldLock: nil))
            }
        }
        return found
    }

    /// Removes a dead journal once what it recorded was undone (or adopted).
    static func finish(_ found: Found) {
        unlink(found.path + ".json")
        unlink(found.path + ".lock")
        if let fd = found.heldLock { close(fd) }
    }

    /// Creates `path` with mode 0700 if missing and checks that only this user can enter it: the journal
    /// says which keys to release, so nobody else may write it.
    static func ensurePrivateDirectory(_ path: String) throws {
        var info = stat()
        if lstat(path, &info) != 0 {
            try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                     attributes: [.posixPermissions: 0o700])
            guard lstat(path, &info) == 0 else { throw EnvironmentError("cannot create the input journal folder \(path)") }
        }
        guard (info.st_mode & S_IFMT) == S_IFDIR, info.st_uid == geteuid() else {
            throw EnvironmentError("\(path) is not a folder of uid \(geteuid()); the input journal is not kept")
        }
        if info.st_mode & 0o077 != 0, chmod(path, 0o700) != 0 {
            throw EnvironmentError("cannot make \(path) private (chmod 0700); the input journal is not kept")
        }
    }
}
