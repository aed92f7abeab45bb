import DeskCore
import Foundation

/// Reads and writes a results folder: `results.json`, `results.md` and the chart `success-by-group.svg`.
public enum EvalResultsStore {
    public static let jsonFile = "results.json"
    public static let markdownFile = "results.md"
    /// Rewritten after every attempt while `eval` runs (``EvalShardProgress``).
    public static let progressFile = "progress.json"

    /// The JSON exactly as written: pretty, keys sorted, ISO 8601 times with milliseconds.
    public static func encode(_ results: EvalResults) throws -> Data {
        let encoder = TraceCoding.encoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(results)
        data.append(0x0A)
        return data
    }

    /// Writes the three files into `directory` (created), replacing earlier ones. Throws
    /// ``EnvironmentError`` naming the file that could not be written.
    public static func write(_ results: EvalResults, to directory: String) throws(EnvironmentError) {
        let dir = URL(fileURLWithPath: directory)
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        } catch {
            throw EnvironmentError("cannot create the results folder \(directory): \(error.localizedDescription)")
        }
        let files: [(String, () throws -> Data)] = [
            (jsonFile, { try encode(results) }),
            (markdownFile, { Data(EvalMarkdown.render(results).utf8) }),
            (EvalChart.fileName, { Data(EvalChart.render(results).utf8) }),
        ]
        for (name, make) in files {
            let url = dir.appendingPathComponent(name)
            do {
                try make().write(to: url, options: .atomic)
            } catch {
                throw EnvironmentError("cannot write \(url.path): \(error.localizedDescription)")
            }
        }
    }

    /// Reads `results.json` from a results folder (or the file itself). Throws ``InputError`` naming the
    /// file and what is wrong with it.
    public static func read(_ path: String) throws(InputError) -> EvalResults {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw InputError("\(path): no such results folder")
        }
        let file = isDir.boolValue ? URL(fileURLWithPath: path).appendingPathComponent(jsonFile).path : path
        guard let data = FileManager.default.contents(atPath: file) else {
            throw InputError("\(file): cannot read (is \(path) a results folder written by deskpilot eval?)")
        }
        do {
            return try TraceCoding.decoder().decode(EvalResults.self, from: data)
        } catch let error as DecodingError {
            throw InputError("\(file): not deskpilot eval results: \(describe(error))")
        } catch {
            throw InputError("\(file): not deskpilot eval results: \(error.localizedDescription)")
        }
    }

    /// Merges the results folders `shards` into `output` (`eval --merge`): trace paths are rewritten relative
    /// to `output`, totals recomputed, and the three files written. A shard folder without complete results
    /// — only a `progress.json` (the shard died, or was stopped) — is not an error: it is reported in
    /// `missing_shards` and `shard_failures`, as are shard indices with no folder at all.
    public static func merge(shards: [String], into output: String, deskpilotVersion: String) throws -> EvalResults {
        var inputs: [EvalMerger.Input] = []
        var incomplete: [EvalShardStatus] = []
        var seen = Set<String>()
        for shard in shards {
            let folder = URL(fileURLWithPath: shard).standardizedFileURL.path
            let dir = shard.hasSuffix(".json") ? (folder as NSString).deletingLastPathComponent : folder
            guard seen.insert(dir).inserted else { throw InputError("\(shard) is given twice") }
            let relative = relativePath(from: output, to: dir)
            let progress = try readProgress(dir)
            if progress == nil || FileManager.default.fileExists(atPath: dir + "/" + jsonFile) {
                let results = try read(shard)
                let snapshot = EvalShardSnapshot(path: relative, progress: progress, results: results)
                if snapshot.isComplete {
                    inputs.append(EvalMerger.Input(results: results, pathPrefix: relative, label: shard))
                    continue
                }
            }
            let snapshot = EvalShardSnapshot(path: relative, progress: progress, results: nil)
            if let status = snapshot.status(ended: true) { incomplete.append(status) }
        }
        let merged = try EvalMerger.merge(inputs, incomplete: incomplete, deskpilotVersion: deskpilotVersion)
        try write(merged, to: output)
        return merged
    }

    /// Writes `progress.json` into `directory` (atomically: a reader never sees half a file).
    public static func writeProgress(_ progress: EvalShardProgress, to directory: String) throws(EnvironmentError) {
        let url = URL(fileURLWithPath: directory).appendingPathComponent(progressFile)
        do {
            let encoder = TraceCoding.encoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            var data = try encoder.encode(progress)
            data.append(0x0A)
            try data.write(to: url, options: .atomic)
        } catch {
            throw EnvironmentError("cannot write \(url.path): \(error.localizedDescription)")
        }
    }

    /// Reads `progress.json` from a folder; nil when there is none. Throws ``InputError`` when it is not one.
    public static func readProgress(_ directory: String) throws(InputError) -> EvalShardProgress? {
        let file = URL(fileURLWithPath: directory).appendingPathComponent(progressFile).path
        guard let data = FileManager.default.contents(atPath: file) else { return nil }
        do {
            return try TraceCoding.decoder().decode(EvalShardProgress.self, from: data)
        } catch let error as DecodingError {
            throw InputError("\(file): not a deskpilot eval progress file: \(describe(error))")
        } catch {
            throw InputError("\(file): not a deskpilot eval progress file: \(error.localizedDescription)")
        }
    }

    /// Removes the results files of an earlier run from `directory`, so that a run which dies leaves no stale
    /// `results.json` that would pass for its own.
    public static func clearResults(in directory: String) {
        for name in [jsonFile, markdownFile, EvalChart.fileName, progressFile] {
            try? FileManager.default.removeItem(atPath: directory + "/" + name)
        }
    }

    /// `eval --status OUT`: reads OUT itself when it is one run's folder, else every sub-folder of OUT that
    /// holds a shard's `progress.json` or `results.json` (a merged folder is skipped). `isAlive` tells
    /// whether a pid on this host still runs.
    public static func status(of out: String, now: Date = Date(), isAlive: (Int32) -> Bool) throws(InputError)
        -> EvalStatusReport {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: out, isDirectory: &isDir), isDir.boolValue else {
            throw InputError("\(out): no such results folder")
        }
        let host = ProcessInfo.processInfo.hostName
        func snapshot(_ dir: String, name: String) throws(InputError) -> EvalShardSnapshot? {
            let progress = try readProgress(dir)
            let hasResults = FileManager.default.fileExists(atPath: dir + "/" + jsonFile)
            guard progress != nil || hasResults else { return nil }
            let results = hasResults ? try read(dir) : nil
            var gone = false
            if let p = progress, p.state == .running, let pid = p.pid, p.host == host { gone = !isAlive(pid) }
            let s = EvalShardSnapshot(path: name, progress: progress, results: results, processGone: gone)
            return s.shard == nil ? nil : s
        }
        if let own = try snapshot(out, name: ".") {
            return try EvalStatusReport.make(out: out, snapshots: [own], now: now)
        }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []).sorted()
        var snapshots: [EvalShardSnapshot] = []
        for name in names where !name.hasPrefix(".") {
            let dir = URL(fileURLWithPath: out).appendingPathComponent(name).path
            var sub: ObjCBool = false
            guard FileManager.default.fileExists(atPath: dir, isDirectory: &sub), sub.boolValue else { continue }
            if let s = try snapshot(dir, name: name) { snapshots.append(s) }
        }
        return try EvalStatusReport.make(out: out, snapshots: snapshots, now: now)
    }

    /// The path of `target` relative to the folder `base` (both made absolute): `../shard-0`.
    public static func relativePath(from base: String, to target: String) -> String {
        let a = URL(fileURLWithPath: base).standardizedFileURL.pathComponents
        let b = URL(fileURLWithPath: target).standardizedFileURL.pathComponents
        var common = 0
        while common < a.count, common < b.count, a[common] == b[common] { common += 1 }
        let up = Array(repeating: "..", count: a.count - common)
        let parts = up + b[common...]
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return keys.isEmpty ? "" : " at \(keys)"
        }
        switch error {
        case .keyNotFound(let key, let c): return "missing \(key.stringValue)\(path(c))"
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c):
            return c.debugDescription + path(c)
        @unknown default: return "\(error)"
        }
    }
}
