import DeskCore
import Foundation

/// Reads and writes a results folder: `results.json`, `results.md` and the chart `success-by-group.svg`.
public enum EvalResultsStore {
    public static let jsonFile = "results.json"
    public static let markdownFile = "results.md"

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
    /// to `output`, totals recomputed, and the three files written.
    public static func merge(shards: [String], into output: String, deskpilotVersion: String) throws -> EvalResults {
        var inputs: [EvalMerger.Input] = []
        var seen = Set<String>()
        for shard in shards {
            let folder = URL(fileURLWithPath: shard).standardizedFileURL.path
            let results = try read(shard)
            let dir = shard.hasSuffix(".json") ? (folder as NSString).deletingLastPathComponent : folder
            guard seen.insert(dir).inserted else { throw InputError("\(shard) is given twice") }
            inputs.append(EvalMerger.Input(results: results, pathPrefix: relativePath(from: output, to: dir), label: shard))
        }
        let merged = try EvalMerger.merge(inputs, deskpilotVersion: deskpilotVersion)
        try write(merged, to: output)
        return merged
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
