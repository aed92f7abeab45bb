import DeskCore
import Foundation

/// The Python peers (scripts/bench/peers.py), one long-lived process per display, spoken to in JSON lines.
final class PeerProcess {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private var buffer = Data()
    let python: String
    let script: String

    init(python: String, script: String, environment: [String: String]) throws {
        self.python = python
        self.script = script
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script]
        process.environment = environment
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        do {
            try process.run()
        } catch {
            throw EnvironmentError("cannot start the benchmark peers with \(python): \(error.localizedDescription)")
        }
    }

    /// Sends one request and returns the decoded answer; a peer-side failure comes back as `error`.
    func call(_ request: [String: Any]) throws -> [String: Any] {
        let data = try JSONSerialization.data(withJSONObject: request)
        input.fileHandleForWriting.write(data + Data("\n".utf8))
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = buffer[buffer.startIndex..<newline]
                buffer.removeSubrange(buffer.startIndex...newline)
                guard let object = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else {
                    throw EnvironmentError("the benchmark peers answered something that is not a JSON object")
                }
                if let error = object["error"] as? String { throw EnvironmentError("peer: \(error)") }
                return object
            }
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { throw EnvironmentError("the benchmark peers process ended") }
            buffer += chunk
        }
    }

    /// Per-iteration times from a timing request.
    func times(_ request: [String: Any]) throws -> [Double] {
        let answer = try call(request)
        guard let times = answer["times_ms"] as? [Double] else {
            throw EnvironmentError("peer answer has no times_ms")
        }
        return times
    }

    func stop() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}

/// Wall time of a whole command (for subprocess tools such as scrot, xwd, import, xdotool).
enum CommandTimer {
    static func time(_ argv: [String], environment: [String: String]) throws -> Double {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = argv
        p.environment = environment
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        let t0 = DispatchTime.now().uptimeNanoseconds
        try p.run()
        p.waitUntilExit()
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6
        guard p.terminationStatus == 0 else {
            throw EnvironmentError("\(argv.joined(separator: " ")) exited with \(p.terminationStatus)")
        }
        return elapsed
    }
}

/// Milliseconds taken by `body`.
func measureMS(_ body: () throws -> Void) rethrows -> Double {
    let t0 = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6
}
