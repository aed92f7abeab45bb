import DeskCore
import Foundation

/// Helpers for the end-to-end tests, which run the real `deskpilot` binary against a real Xvfb.
enum EndToEnd {
    /// The folder with the built products (`deskpilot`, `deskpilot-fixture`), next to the test bundle;
    /// `DESKPILOT_BIN_DIR` overrides it.
    static var binDir: String {
        if let dir = ProcessInfo.processInfo.environment["DESKPILOT_BIN_DIR"], !dir.isEmpty { return dir }
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var url = URL(fileURLWithPath: me).deletingLastPathComponent()
        // Inside an .xctest bundle folder on some layouts.
        while !FileManager.default.fileExists(atPath: url.appendingPathComponent("deskpilot").path), url.path != "/" {
            url.deleteLastPathComponent()
        }
        return url.path
    }

    static var deskpilot: String { binDir + "/deskpilot" }
    static var fixture: String { binDir + "/deskpilot-fixture" }

    /// True when Xvfb and the built binaries are there.
    static var available: Bool {
        FileManager.default.isExecutableFile(atPath: deskpilot) && FileManager.default.isExecutableFile(atPath: "/usr/bin/Xvfb")
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs deskpilot with `arguments`; `whileRunning` is called with the process once it started.
    static func run(_ arguments: [String], environment extra: [String: String] = [:], timeout: Double = 120,
                    whileRunning: (@Sendable (Process) async -> Void)? = nil) async throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: deskpilot)
        p.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for key in ["DESKPILOT_ENDPOINT", "DESKPILOT_MODEL", "DESKPILOT_DIALECT", "DESKPILOT_API_KEY", "OPENAI_API_KEY"] {
            env.removeValue(forKey: key)
        }
        env["XDG_CONFIG_HOME"] = NSTemporaryDirectory() + "deskpilot-e2e-noconfig"
        for (k, v) in extra { env[k] = v }
        p.environment = env
        let outFile = NSTemporaryDirectory() + "deskpilot-e2e-\(UUID().uuidString).out"
        let errFile = outFile + ".err"
        FileManager.default.createFile(atPath: outFile, contents: nil)
        FileManager.default.createFile(atPath: errFile, contents: nil)
        defer {
            try? FileManager.default.removeItem(atPath: outFile)
            try? FileManager.default.removeItem(atPath: errFile)
        }
        p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outFile))
        p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errFile))
        p.standardInput = FileHandle.nullDevice
        try p.run()
        if let whileRunning { await whileRunning(p) }
        let end = Date().addingTimeInterval(timeout)
        while p.isRunning && Date() < end { try await Task.sleep(for: .milliseconds(20)) }
        if p.isRunning {
            p.interrupt()
            kill(p.processIdentifier, SIGKILL)
        }
        p.waitUntilExit()
        let out = (try? String(contentsOfFile: outFile, encoding: .utf8)) ?? ""
        let err = (try? String(contentsOfFile: errFile, encoding: .utf8)) ?? ""
        return Result(status: p.terminationStatus, stdout: out, stderr: err)
    }

    /// A private Xvfb for one test, on a display number nobody uses.
    final class Xvfb: @unchecked Sendable {
        let display: String
        let process: Process

        init(size: Size = Size(width: 1280, height: 800)) throws {
            var lastError: (any Error)?
            for _ in 0..<20 {
                let n = Int.random(in: 200...899)
                if FileManager.default.fileExists(atPath: "/tmp/.X\(n)-lock") { continue }
                let p = Process()
                p.executableURL = URL(fileURLWithPath: "/usr/bin/Xvfb")
                p.arguments = [":\(n)", "-screen", "0", "\(size.width)x\(size.height)x24", "-nolisten", "tcp", "-noreset"]
                p.standardOutput = FileHandle.nullDevice
                p.standardError = FileHandle.nullDevice
                do { try p.run() } catch { lastError = error; continue }
                let end = Date().addingTimeInterval(10)
                while p.isRunning && !FileManager.default.fileExists(atPath: "/tmp/.X11-unix/X\(n)") && Date() < end {
                    usleep(10_000)
                }
                if p.isRunning && FileManager.default.fileExists(atPath: "/tmp/.X11-unix/X\(n)") {
                    usleep(100_000)
                    display = ":\(n)"
                    process = p
                    return
                }
                p.terminate()
            }
            throw EnvironmentError("cannot start a private Xvfb: \(String(describing: lastError))")
        }

        func stop() {
            if process.isRunning {
                process.terminate()
                process.waitUntilExit()
            }
        }

        deinit { stop() }
    }

    /// The fixture app on `display`, logging to `log`.
    final class Fixture: @unchecked Sendable {
        let process: Process
        let log: String

        init(display: String, log: String, geometry: String = "800x600+0+0") throws {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: EndToEnd.fixture)
            p.arguments = ["--log", log, "--geometry", geometry]
            var env = ProcessInfo.processInfo.environment
            env["DISPLAY"] = display
            p.environment = env
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            process = p
            self.log = log
            let end = Date().addingTimeInterval(10)
            while Date() < end && !((try? String(contentsOfFile: log, encoding: .utf8))?.contains("\"ready\"") ?? false) {
                usleep(20_000)
            }
        }

        var events: String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }

        func stop() {
            if process.isRunning {
                process.terminate()
                process.waitUntilExit()
            }
        }

        deinit { stop() }
    }

    /// The single run folder under `traceDir`, with its events parsed (each line must parse).
    static func trace(in traceDir: String) throws -> (folder: String, events: [TraceEvent]) {
        let runs = try FileManager.default.contentsOfDirectory(atPath: traceDir).filter { RunID($0) != nil }
        guard runs.count == 1, let run = runs.first else {
            throw EnvironmentError("expected one run folder in \(traceDir), found \(runs)")
        }
        let folder = traceDir + "/" + run
        let text = try String(contentsOfFile: folder + "/trace.jsonl", encoding: .utf8)
        let events = try text.split(separator: "\n").map { try TraceCoding.event(fromLine: String($0)) }
        return (folder, events)
    }
}
