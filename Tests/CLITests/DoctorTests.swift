import Foundation
import Testing
import DeskTestSupport

/// `deskpilot doctor` on real displays, a real PATH and a real model server on loopback: one line per check
/// with its fix, exit 3 when a required check fails.
@Suite("doctor", .ownThread)
struct DoctorTests {
    @Test func aMissingDisplayIsOneLineWithItsFix() throws {
        let result = try CLIRunner.run(["doctor"], environment: ["DISPLAY": nil, "WAYLAND_DISPLAY": nil])
        #expect(result.status == 3, "\(result.stderr)")
        let lines = result.stdoutText.split(separator: "\n").map(String.init)
        let display = lines.filter { $0.split(separator: " ").dropFirst().first == "display" }
        #expect(display.count == 1, "\(lines)")
        #expect(display.first?.hasPrefix("FAIL  display") == true)
        #expect(display.first?.contains("DISPLAY is not set") == true)
        #expect(display.first?.contains("→ set DISPLAY") == true, "the fix follows the arrow")
    }

    @Test func aMissingXvfbIsOneLineWithThePackage() throws {
        let display = try ActPolicyTests.Display()
        defer { display.stop() }
        let empty = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: empty) }
        let result = try CLIRunner.run(["doctor", "--display", display.name], environment: ["PATH": empty])
        #expect(result.status == 3, "\(result.stdoutText)\(result.stderr)")
        let lines = result.stdoutText.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("ok    display     \(display.name): 1024x768") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("ok    xtest ") }, "\(lines)")
        let xvfb = lines.filter { $0.contains("xvfb") && $0.hasPrefix("FAIL") }
        #expect(xvfb.count == 1, "\(lines)")
        #expect(xvfb.first?.hasSuffix("→ apt install xvfb") == true, "\(xvfb)")
    }

    @Test func allRequiredChecksPassingExitsZeroAndJSONHasOneObjectPerCheck() throws {
        let display = try ActPolicyTests.Display()
        defer { display.stop() }
        let result = try CLIRunner.run(["doctor", "--display", display.name, "--json"],
                                       environment: ["DESKPILOT_ENDPOINT": nil, "DESKPILOT_MODEL": nil])
        #expect(result.status == 0, "\(result.stdoutText)\(result.stderr)")
        var checks: [String: [String: Any]] = [:]
        for line in result.stdoutText.split(separator: "\n") {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            checks[try #require(object["name"] as? String)] = object
        }
        for name in ["display", "xtest", "mit-shm", "xkb", "damage", "layout", "xvfb", "tesseract", "a11y-bus", "model", "install"] {
            #expect(checks[name] != nil, "no \(name) check in \(checks.keys.sorted())")
        }
        #expect(checks["display"]?["status"] as? String == "ok")
        #expect(checks["display"]?["required"] as? Bool == true)
        #expect(checks["model"]?["status"] as? String == "skip", "no endpoint configured")
        // The test binary sits in the build tree, next to deskpilot-fixture.
        #expect((checks["install"]?["detail"] as? String)?.contains("build tree") == true, "\(checks["install"] ?? [:])")
    }

    @Test func theModelEndpointGetsOneCheapRequest() throws {
        let display = try ActPolicyTests.Display()
        defer { display.stop() }
        let dir = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "[]".write(toFile: dir + "/script.json", atomically: true, encoding: .utf8)
        let server = Process()
        server.executableURL = URL(fileURLWithPath: CLIRunner.path("deskpilot-model-server"))
        server.arguments = ["--script", dir + "/script.json", "--record", dir + "/requests.jsonl"]
        let out = Pipe()
        server.standardOutput = out
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { server.terminate(); server.waitUntilExit() }
        let first = String(decoding: out.fileHandleForReading.availableData, as: UTF8.self)
        let base = try #require(first.split(separator: "\n").first.map(String.init))

        let ok = try CLIRunner.run(["doctor", "--display", display.name, "--endpoint", base, "--model", "scripted-model"])
        #expect(ok.status == 0, "\(ok.stdoutText)\(ok.stderr)")
        let model = ok.stdoutText.split(separator: "\n").first { $0.hasPrefix("ok    model") }
        #expect(model?.contains("openai-chat, model scripted-model: GET \(base)/models → HTTP 200") == true, "\(ok.stdoutText)")
        let requests = try String(contentsOfFile: dir + "/requests.jsonl", encoding: .utf8)
        #expect(requests.split(separator: "\n").count == 1, "one request, no completion: \(requests)")

        // Nothing listens on the discard port: required once an endpoint is configured.
        let down = try CLIRunner.run(["doctor", "--display", display.name, "--endpoint", "http://127.0.0.1:9/v1"])
        #expect(down.status == 3)
        #expect(down.stdoutText.contains("FAIL  model       openai-chat, no model name: GET http://127.0.0.1:9/v1/models: no answer"),
                "\(down.stdoutText)")
    }

    /// A new empty folder under the temp dir (an empty PATH, a model script).
    static func scratchFolder() throws -> String {
        let path = NSTemporaryDirectory() + "deskpilot-doctor-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
