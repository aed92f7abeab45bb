import DeskCore
import Foundation

/// Writing output files with errors that name the path.
public enum OutputPath {
    /// Fails with an input error when `path` cannot be created or written.
    public static func checkWritable(_ path: String) throws {
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent().path
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
            throw InputError("cannot write \(path): the folder \(dir) does not exist")
        }
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
            throw InputError("cannot write \(path): it is a folder")
        }
        guard FileManager.default.isWritableFile(atPath: FileManager.default.fileExists(atPath: path) ? path : dir) else {
            throw InputError("cannot write \(path): permission denied")
        }
    }

    /// Writes atomically (a temp file renamed into place), so a failed run never leaves half a file.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw InputError("cannot write \(path): \(error.localizedDescription)")
        }
    }
}
