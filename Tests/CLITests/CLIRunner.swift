import Foundation

/// Runs the built `deskpilot` executable (it sits next to the test bundle) and collects what it did.
struct CLIRunner {
    struct Result {
        var status: Int32
        var stdout: Data
        var stderr: String
        var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    }

    static var binDirectory: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    }

    static func path(_ tool: String) -> String { binDirectory.appendingPathComponent(tool).path }

    /// Runs `deskpilot args…` with `environment` replacing (not extending) the variables named in it;
    /// a nil value removes the variable.
    static func run(_ arguments: [String], environment: [String: String?] = [:], stdin: Data? = nil,
                    timeout: Double = 60) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path("deskpilot"))
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment {
            if let value { env[key] = value } else { env.removeValue(forKey: key) }
        }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        if let stdin {
            let input = Pipe()
            process.standardInput = input
            try process.run()
            input.fileHandleForWriting.write(stdin)
            try input.fileHandleForWriting.close()
        } else {
            process.standardInput = FileHandle.nullDevice
            try process.run()
        }
        // Read both pipes while the process runs so a large PNG on stdout cannot block it.
        nonisolated(unsafe) var outData = Data()
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { outData = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        group.enter()
        DispatchQueue.global().async { errData = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        group.wait()
        return Result(status: process.terminationStatus, stdout: outData,
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Pids of running processes whose command line contains `marker` (used to prove no Xvfb is left).
    static func processes(containing marker: String) -> [Int32] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        return entries.compactMap { entry -> Int32? in
            guard let pid = Int32(entry),
                  let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { return nil }
            let text = String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
            // Zombies have an empty cmdline and are already dead.
            return text.contains(marker) ? pid : nil
        }
    }

    /// A screen size no other test uses, so the Xvfb it starts can be found by its command line.
    static func uniqueScreen() -> String {
        "\(640 + Int.random(in: 1...2000))x\(480 + Int.random(in: 1...500))"
    }
}
