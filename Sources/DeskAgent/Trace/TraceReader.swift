import DeskCore
import Foundation

/// Reads a run folder's `trace.jsonl` (see ``TraceLog`` for how partial and bad lines are handled).
public enum TraceReader {
    /// The run folder for `path`: the folder itself, or the folder of a `trace.jsonl` given directly.
    ///
    /// Throws ``InputError`` (exit 2) naming the path when it does not exist or holds no `trace.jsonl`.
    public static func runDirectory(_ path: String) throws -> URL {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDir) else {
            throw InputError("\(path): no such run folder")
        }
        let url = URL(fileURLWithPath: path, isDirectory: isDir.boolValue)
        if !isDir.boolValue {
            guard url.lastPathComponent == TraceFiles.events else {
                throw InputError("\(path): not a run folder (expected a folder with \(TraceFiles.events))")
            }
            return url.deletingLastPathComponent()
        }
        guard fm.fileExists(atPath: url.appendingPathComponent(TraceFiles.events).path) else {
            let hint = looksLikeTraceParent(url) ? " — it looks like a --trace-dir parent; pass one of its run folders" : ""
            throw InputError("\(path): not a trace (no \(TraceFiles.events))\(hint)")
        }
        return url
    }

    /// Reads and parses the trace in the run folder at `path`.
    public static func read(_ path: String) throws -> TraceLog {
        try read(runDirectory: try runDirectory(path))
    }

    /// Reads and parses `trace.jsonl` in `directory`.
    public static func read(runDirectory directory: URL) throws -> TraceLog {
        let file = directory.appendingPathComponent(TraceFiles.events)
        let data: Data
        do {
            data = try Data(contentsOf: file)
        } catch {
            throw InputError("\(file.path): cannot read: \(TraceRecorder.reason(error))")
        }
        return TraceLog(parsing: data)
    }

    /// The summary of the trace at `path`.
    public static func summary(_ path: String) throws -> TraceSummary {
        TraceSummary(log: try read(path))
    }

    private static func looksLikeTraceParent(_ url: URL) -> Bool {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return names.contains { RunID($0) != nil }
    }
}
