import DeskCore
import Foundation

/// Reads task files (YAML, see `docs/task-format.md`) into ``TaskFile`` values.
///
/// Everything is checked before anything runs: unknown keys, wrong types, missing targets, bad durations,
/// chords and regexes, unset `${env:…}`/`${secret:…}` variables, missing images, fixtures and policy
/// files, and the policy file itself. Each mistake is reported as `file:line:column: what is wrong`.
/// Relative paths are resolved against the task file's folder; references are substituted at load time.
public enum TaskLoader {
    /// Loads the task file at `path`.
    ///
    /// - Parameter environment: where `${env:NAME}` and `${secret:NAME}` (as `DESKPILOT_SECRET_NAME`) are read.
    public static func load(path: String,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigError) -> TaskFile {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        let text = try SourceText.read(path: absolute, file: path, what: "the task file")
        var task = try parse(yaml: text, file: path, directory: (absolute as NSString).deletingLastPathComponent,
                             environment: environment)
        task.path = absolute
        return task
    }

    /// Parses task YAML. `file` names it in errors (and gives the default task name); relative paths are
    /// resolved against `directory`. With `checkFiles`, referenced images, fixtures and the policy must exist.
    public static func parse(yaml: String, file: String, directory: String,
                             environment: [String: String] = ProcessInfo.processInfo.environment,
                             checkFiles: Bool = true) throws(ConfigError) -> TaskFile {
        let root = try YAMLNode.root(yaml: yaml, file: file)
        var parser = TaskParser(directory: directory, environment: environment, checkFiles: checkFiles)
        let base = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        return try parser.task(root, defaultName: base.isEmpty ? "task" : base)
    }
}
