import DeskTestSupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The built `deskpilot` executable (next to the test bundle), for tests that need a real process:
/// signals, another uid, stdio.
enum DaemonBinary {
    static var path: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("deskpilot").path
    }

    /// True once the daemon commands are registered in the executable.
    static let hasDaemonCommands: Bool = {
        guard FileManager.default.isExecutableFile(atPath: path) else { return false }
        // `deskpilot serve --help` would print the root help (exit 0) when `serve` is unknown: look at the
        // root help's subcommand list instead.
        guard let (status, out, _) = try? run(["--help"]), status == 0 else { return false }
        let names = Set(out.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) })
        return names.isSuperset(of: ["serve", "submit", "status", "stop", "confirm", "reply", "pause", "resume", "mcp"])
    }()

    /// Starts `deskpilot args…` (optionally through `prefix`, e.g. setpriv) with `environment` merged in.
    static func start(_ arguments: [String], prefix: [String] = [], environment: [String: String] = [:],
                      stdin: Pipe? = nil, stdout: Pipe? = nil, stderrPath: String? = nil) throws -> Process {
        let p = Process()
        if let tool = prefix.first {
            p.executableURL = URL(fileURLWithPath: tool)
            p.arguments = Array(prefix.dropFirst()) + [path] + arguments
        } else {
            p.executableURL = URL(fileURLWithPath: path)
            p.arguments = arguments
        }
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        p.environment = env
        p.standardInput = stdin ?? FileHandle.nullDevice
        p.standardOutput = stdout ?? FileHandle.nullDevice
        if let stderrPath {
            FileManager.default.createFile(atPath: stderrPath, contents: nil)
            p.standardError = FileHandle(forWritingAtPath: stderrPath)
        } else {
            p.standardError = FileHandle.nullDevice
        }
        try p.run()
        return p
    }

    /// Runs a client command to the end: status, stdout, stderr.
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> (Int32, String, String) {
        let out = Pipe(), err = Pipe()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        p.environment = env
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    /// Waits until `path` is a socket, or the process died, or `timeout` passed (without blocking a thread).
    static func waitForSocket(_ path: String, process: Process, timeout: Double = 30) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            var info = stat()
            if lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFSOCK { return true }
            if !process.isRunning { return false }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    /// Waits for the process to exit; nil after `timeout`.
    static func waitForExit(_ process: Process, timeout: Double) async -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning { return nil }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// ``run(_:environment:)`` on a thread of its own.
    static func runAsync(_ arguments: [String], environment: [String: String] = [:]) async throws -> (Int32, String, String) {
        try await onThread { try run(arguments, environment: environment) }
    }

    /// Pids of processes whose command line contains `marker`.
    static func processes(containing marker: String) -> [Int32] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        return entries.compactMap { entry -> Int32? in
            guard let pid = Int32(entry), let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { return nil }
            let text = String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
            return text.contains(marker) ? pid : nil
        }
    }

    /// A private temp folder (mode 0700; removed with the test process's ``TestFolders/parent``).
    static func temporaryDirectory() throws -> String {
        try TestFolders.make("proc")
    }
}
