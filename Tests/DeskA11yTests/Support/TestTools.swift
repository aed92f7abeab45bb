import DeskCore
import Foundation

/// The built executables next to the test bundle (`deskpilot`, `deskpilot-gtk-fixture`).
enum TestTools {
    static var binDirectory: URL { URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent() }

    static func path(_ tool: String) throws -> String {
        var dir = binDirectory
        for _ in 0..<3 {
            let candidate = dir.appendingPathComponent(tool).path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        throw A11yDesktop.Failure(description: "\(tool) is not built next to the tests (swift build --build-tests builds it)")
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        /// stdout's lines parsed as JSON objects.
        var jsonLines: [[String: Any]] {
            stdout.split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
        }
        var json: [String: Any]? { try? JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any] }
    }

    /// Runs `deskpilot args…` on `desktop` and waits for it (at most `timeout` seconds).
    static func deskpilot(_ args: [String], on desktop: A11yDesktop, timeout: Double = 60) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try path("deskpilot"))
        process.arguments = args
        var env = desktop.environment
        env["DESKPILOT_QUIET_A11Y"] = "1"
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
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
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }
}
