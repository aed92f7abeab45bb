import Foundation

/// Trace folders and files are private to their owner (folders 0700, files 0600): their frames show
/// whatever was on the screen, their events what was typed.
enum PrivateFile {
    /// Makes `url` (and missing parents) a folder only its owner can open.
    static func makeFolder(_ url: URL) throws {
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: url.path)
    }

    /// Writes `data` to `url` as a file only its owner can read (atomically: a reader never sees half).
    static func write(_ data: Data, to url: URL) throws {
        try data.write(to: url, options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
    }

    /// Creates an empty file only its owner can read; false when it cannot.
    static func create(_ url: URL) -> Bool {
        FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600])
    }
}
