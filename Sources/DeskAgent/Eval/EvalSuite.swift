import DeskCore
import Foundation

/// Finds the task files of a suite: every `*.yaml`/`*.yml` under the folder, in any depth, except under folders
/// (or files) whose name starts with `_` or `.` — the place for fixtures, policies and helper scripts.
public enum EvalSuite {
    /// The suite's tasks, sorted by id. A path to one task file gives a suite of that one task.
    ///
    /// Throws ``InputError`` when the path does not exist, holds no task file, or two files would share an id
    /// (`a.yaml` and `a.yml`).
    public static func discover(_ path: String) throws(InputError) -> [EvalSuiteEntry] {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        let root = URL(fileURLWithPath: path).standardizedFileURL
        guard fm.fileExists(atPath: root.path, isDirectory: &isDir) else {
            throw InputError("\(path): no such suite folder or task file")
        }
        if !isDir.boolValue {
            guard isTaskFile(root.lastPathComponent) else {
                throw InputError("\(path): not a task file (expected .yaml or .yml) or a suite folder")
            }
            let id = root.deletingPathExtension().lastPathComponent
            return [EvalSuiteEntry(id: id, group: EvalTaskResult.ungrouped, file: root.lastPathComponent, path: root.path)]
        }
        guard let walker = fm.enumerator(at: root, includingPropertiesForKeys: [.isDirectoryKey],
                                         options: [.skipsHiddenFiles]) else {
            throw InputError("\(path): cannot list the suite folder")
        }
        var entries: [EvalSuiteEntry] = []
        var seen: [String: String] = [:]
        let rootComponents = root.pathComponents.count
        for case let url as URL in walker {
            let name = url.lastPathComponent
            let isFolder = (try? url.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) ?? false
            if name.hasPrefix("_") || name.hasPrefix(".") {
                if isFolder { walker.skipDescendants() }
                continue
            }
            guard !isFolder, isTaskFile(name) else { continue }
            let relative = url.standardizedFileURL.pathComponents.dropFirst(rootComponents).joined(separator: "/")
            let id = (relative as NSString).deletingPathExtension
            if let other = seen[id] {
                throw InputError("\(path): \(other) and \(relative) would both be task \(id); rename one")
            }
            seen[id] = relative
            entries.append(EvalSuiteEntry(id: id, group: EvalTaskResult.group(ofID: id), file: relative,
                                          path: url.standardizedFileURL.path))
        }
        guard !entries.isEmpty else { throw InputError("\(path): no task files (*.yaml) in the suite folder") }
        return entries.sorted { $0.id < $1.id }
    }

    static func isTaskFile(_ name: String) -> Bool { name.hasSuffix(".yaml") || name.hasSuffix(".yml") }
}
