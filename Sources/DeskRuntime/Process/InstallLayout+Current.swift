import DeskCore
import Foundation

extension InstallLayout {
    /// The layout of the running binary (`/proc/self/exe`, symlinks resolved) and this process's environment.
    public static var current: InstallLayout {
        resolve(executablePath: runningExecutable(), environment: ProcessInfo.processInfo.environment)
    }

    /// The layout of the binary at `executablePath`, asking the file system what exists.
    public static func resolve(executablePath: String, environment: [String: String]) -> InstallLayout {
        resolve(executable: executablePath, environment: environment) { FileManager.default.fileExists(atPath: $0) }
    }

    /// The running binary's path, from `/proc/self/exe` (else `argv[0]` made absolute).
    public static func runningExecutable() -> String {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
        return URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
    }
}
