import DeskCore
import DeskX11
import Foundation

/// Agent-loop overhead per step (everything but the model's own time), split by stage, from a real
/// `deskpilot agent` run against the scripted model server on loopback.
enum AgentStepBench {
    static func run(desktop: BenchDesktop, binDirectory: String, steps: Int, tmp: String) throws -> BenchTable {
        let screen = desktop.display.screenSize
        // Clicks on empty parts of the fixture window (lower half), each at a new spot so the loop's
        // no-progress detector never fires; UI-TARS-1.5 coordinates are on the smart-resized image.
        let resized = try SmartResize.uiTars15.resize(screen)
        var replies: [[String: Any]] = []
        for i in 0..<steps {
            let x = screen.width / 4 + 50 + (i * 37) % 700
            let y = screen.height / 3 + 320 + (i * 53) % 250
            let mx = Int((Double(x) * Double(resized.width) / Double(screen.width)).rounded())
            let my = Int((Double(y) * Double(resized.height) / Double(screen.height)).rounded())
            replies.append(["content": "Thought: step \(i + 1)\nAction: click(start_box='(\(mx),\(my))')",
                            "usage": ["prompt_tokens": 3000, "completion_tokens": 20]])
        }
        replies.append(["content": "Thought: done\nAction: finished(content='ok')"])
        let scriptPath = "\(tmp)/agent-script.json"
        try JSONSerialization.data(withJSONObject: replies).write(to: URL(fileURLWithPath: scriptPath))

        let server = Process()
        server.executableURL = URL(fileURLWithPath: "\(binDirectory)/deskpilot-model-server")
        server.arguments = ["--script", scriptPath]
        let out = Pipe()
        server.standardOutput = out
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { server.terminate(); server.waitUntilExit() }
        var firstLine = Data()
        while !firstLine.contains(0x0A) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { throw EnvironmentError("deskpilot-model-server did not print its URL") }
            firstLine += chunk
        }
        let url = String(decoding: firstLine, as: UTF8.self).split(separator: "\n")[0]
            .trimmingCharacters(in: .whitespaces)
        let traceDir = "\(tmp)/agent-traces"
        let agent = Process()
        agent.executableURL = URL(fileURLWithPath: "\(binDirectory)/deskpilot")
        agent.arguments = ["agent", "benchmark: click around", "--display", desktop.session.displayName,
                           "--endpoint", url, "--model", "scripted", "--dialect", "ui-tars-1.5",
                           "--policy", "permissive", "--max-steps", "\(steps + 5)", "--trace-dir", traceDir, "-q"]
        agent.standardOutput = FileHandle.nullDevice
        agent.standardError = FileHandle.standardError
        try agent.run()
        agent.waitUntilExit()
        guard agent.terminationStatus == 0 else {
            throw EnvironmentError("the benchmark agent run exited with \(agent.terminationStatus)")
        }
        let run = try FileManager.default.contentsOfDirectory(atPath: traceDir).sorted().last ?? ""
        let text = try String(contentsOfFile: "\(traceDir)/\(run)/trace.jsonl", encoding: .utf8)
        var stages: [String: [Double]] = [:]
        var overhead: [Double] = []
        for line in text.split(separator: "\n") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  object["type"] as? String == "step", let timings = object["timings"] as? [String: Double] else { continue }
            for (key, value) in timings { stages[key, default: []].append(value) }
            overhead.append(timings.filter { $0.key != "model_ms" && $0.key != "settle_ms" }.values.reduce(0, +))
        }
        let order = ["capture_ms", "encode_ms", "request_ms", "model_ms", "parse_ms", "policy_ms", "act_ms", "settle_ms", "trace_ms"]
        var rows = [BenchRow(name: "overhead per step (all but model and settle)", isDeskpilot: true,
                             stats: BenchStats(samples: overhead), correctness: "\(overhead.count) steps, exit 0", error: nil)]
        for key in order where stages[key] != nil {
            let note = key == "model_ms" ? "scripted server on loopback (HTTP + JSON, not a model)" :
                (key == "settle_ms" ? "waiting for the screen to be quiet (DAMAGE + tile diff), min 100 ms" : "")
            rows.append(BenchRow(name: "stage: \(key.replacingOccurrences(of: "_ms", with: ""))", isDeskpilot: false,
                                 stats: BenchStats(samples: stages[key] ?? []), correctness: note, error: nil))
        }
        return BenchTable(
            title: "Agent step overhead, \(screen.width)x\(screen.height), ui-tars-1.5",
            note: "One `deskpilot agent` run of \(steps) click steps against `deskpilot-model-server` on loopback; the stage times come from the run's own trace. The ratio column compares each stage with the whole overhead. Target on a 2-core machine: ≤ 30 ms median overhead (a guide).",
            rows: rows)
    }
}
