/// Where deskpilot's helper programs (`deskpilot-fixture`, `deskpilot-labels`) and its data (policies, the
/// example tasks, the evaluation suite) are, found from the running binary — never from the current folder,
/// so a command behaves the same wherever it is started.
///
/// In order: `DESKPILOT_LIBDIR` (helpers) and `DESKPILOT_DATADIR` (a folder with `policies/`, `examples/`,
/// `suite/`) when set to absolute paths; an install prefix (`<prefix>/bin/deskpilot`, or the full executable
/// `<prefix>/lib/deskpilot/deskpilot-full`, with
/// `<prefix>/lib/deskpilot/` and `<prefix>/share/deskpilot/`, as the Debian package lays it out); the build
/// tree (`<root>/.build/…/deskpilot`, helpers beside it, data in the checkout at `<root>`). The resolution is
/// pure: the caller passes the executable's path, the environment and a way to ask whether a path exists.
public struct InstallLayout: Sendable, Equatable {
    /// How the layout was found, as `deskpilot doctor` reports it.
    public enum Origin: String, Sendable, Equatable {
        case environment, prefix
        case buildTree = "build tree"
        /// Nothing recognised: the helpers are looked for beside the binary, the data is unknown.
        case beside
    }

    /// The folder holding `deskpilot-fixture` and `deskpilot-labels`; put at the end of `PATH` for the
    /// commands a task starts.
    public var helperDirectory: String
    /// The built-in policies as files (`default.yaml`, …), if known.
    public var policiesDirectory: String?
    /// The example tasks, if known.
    public var examplesDirectory: String?
    /// The evaluation suite, if known.
    public var suiteDirectory: String?
    public var origin: Origin

    public init(helperDirectory: String, policiesDirectory: String?, examplesDirectory: String?,
                suiteDirectory: String?, origin: Origin) {
        self.helperDirectory = helperDirectory
        self.policiesDirectory = policiesDirectory
        self.examplesDirectory = examplesDirectory
        self.suiteDirectory = suiteDirectory
        self.origin = origin
    }

    /// The variable that overrides the helper folder.
    public static let helperVariable = "DESKPILOT_LIBDIR"
    /// The variable that overrides the data folder (holding `policies/`, `examples/`, `suite/`).
    public static let dataVariable = "DESKPILOT_DATADIR"

    /// Resolves the layout for the binary at `executable` (an absolute path, symlinks already resolved).
    public static func resolve(executable: String, environment: [String: String],
                               exists: (String) -> Bool) -> InstallLayout {
        let binDirectory = parent(executable)
        var layout: InstallLayout
        if let prefix = installPrefix(binDirectory: binDirectory, exists: exists) {
            let share = prefix + "/share/deskpilot"
            layout = exists(share) ? installed(helpers: prefix + "/lib/deskpilot", data: share, origin: .prefix)
                : InstallLayout(helperDirectory: prefix + "/lib/deskpilot", policiesDirectory: nil, examplesDirectory: nil,
                                suiteDirectory: nil, origin: .prefix)
        } else if let root = checkoutRoot(above: binDirectory, exists: exists) {
            layout = InstallLayout(helperDirectory: binDirectory, policiesDirectory: root + "/policies",
                                   examplesDirectory: root + "/tasks/examples", suiteDirectory: root + "/tasks/suite",
                                   origin: .buildTree)
        } else {
            layout = InstallLayout(helperDirectory: binDirectory, policiesDirectory: nil, examplesDirectory: nil,
                                   suiteDirectory: nil, origin: .beside)
        }
        if let helpers = environment[helperVariable], helpers.hasPrefix("/") {
            layout.helperDirectory = trimmed(helpers)
            layout.origin = .environment
        }
        if let data = environment[dataVariable], data.hasPrefix("/") {
            let overridden = installed(helpers: layout.helperDirectory, data: trimmed(data), origin: .environment)
            layout.policiesDirectory = overridden.policiesDirectory
            layout.examplesDirectory = overridden.examplesDirectory
            layout.suiteDirectory = overridden.suiteDirectory
            layout.origin = .environment
        }
        return layout
    }

    /// The prefix of `<prefix>/bin/deskpilot`, or of `<prefix>/lib/deskpilot/deskpilot-full` (the full executable
    /// the light front execs), when `<prefix>/lib/deskpilot` exists; "" for the root prefix.
    private static func installPrefix(binDirectory: String, exists: (String) -> Bool) -> String? {
        let up = parent(binDirectory)
        let prefix: String
        if lastComponent(binDirectory) == "bin" {
            prefix = up
        } else if lastComponent(binDirectory) == "deskpilot", lastComponent(up) == "lib" {
            prefix = parent(up)
        } else {
            return nil
        }
        let normalized = prefix == "/" ? "" : prefix
        return exists(normalized + "/lib/deskpilot") ? normalized : nil
    }

    /// The name of the full executable, beside the helpers: it runs every command the light `deskpilot` does not.
    public static let fullExecutableName = "deskpilot-full"
    /// The variable that names the full executable (an absolute path), overriding where the front looks for it.
    public static let fullExecutableVariable = "DESKPILOT_FULL"

    /// Where the light `deskpilot` at `front` finds the full executable: `DESKPILOT_FULL` when absolute, else the
    /// helper folder of its install prefix or build tree (not `DESKPILOT_LIBDIR`, which points at test helpers).
    public static func fullExecutable(front: String, environment: [String: String], exists: (String) -> Bool) -> String {
        if let path = environment[fullExecutableVariable], path.hasPrefix("/") { return path }
        return resolve(executable: front, environment: [:], exists: exists).helperDirectory + "/" + fullExecutableName
    }

    private static func installed(helpers: String, data: String, origin: Origin) -> InstallLayout {
        InstallLayout(helperDirectory: helpers, policiesDirectory: data + "/policies", examplesDirectory: data + "/examples",
                      suiteDirectory: data + "/suite", origin: origin)
    }

    /// The checkout a SwiftPM build tree sits in: the folder above the nearest `.build*` component that holds
    /// `Package.swift` and `tasks/examples`.
    private static func checkoutRoot(above directory: String, exists: (String) -> Bool) -> String? {
        var current = directory
        while current != "/" && !current.isEmpty {
            let up = parent(current)
            if lastComponent(current).hasPrefix(".build") {
                return exists(up + "/Package.swift") && exists(up + "/tasks/examples") ? up : nil
            }
            current = up
        }
        return nil
    }

    private static func parent(_ path: String) -> String {
        let p = trimmed(path)
        guard let slash = p.lastIndex(of: "/") else { return "." }
        return slash == p.startIndex ? "/" : String(p[..<slash])
    }

    private static func lastComponent(_ path: String) -> String {
        let p = trimmed(path)
        return p.lastIndex(of: "/").map { String(p[p.index(after: $0)...]) } ?? p
    }

    private static func trimmed(_ path: String) -> String {
        var p = path
        while p.count > 1 && p.hasSuffix("/") { p.removeLast() }
        return p
    }
}
