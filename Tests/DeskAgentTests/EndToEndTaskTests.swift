import DeskCore
import DeskTesting
import Foundation
import Testing
import DeskTestSupport

/// `deskpilot run TASK.yaml --headless` on the documented examples and on tasks written by the tests.
@Suite(.serialized, .enabled(if: EndToEnd.available, "needs Xvfb and the built deskpilot binaries"), .ownThread)
struct EndToEndTaskTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    static var examples: [String] {
        let dir = repository + "/tasks/examples"
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [])
            .filter { $0.hasSuffix(".yaml") }.sorted()
    }

    @Test(arguments: examples)
    func exampleTaskPassesHeadless(file: String) async throws {
        let dir = try temporaryFolder()
        let result = try await EndToEnd.run(["run", Self.repository + "/tasks/examples/" + file, "--headless",
                                             "--trace-dir", dir])
        #expect(result.status == 0, "stdout: \(result.stdout)\nstderr: \(result.stderr)")
        #expect(result.stdout.contains("done:"))
        let (_, events) = try EndToEnd.trace(in: dir)
        guard case .runEnd(let end)? = events.last else {
            Issue.record("no run_end")
            return
        }
        #expect(end.status == .succeeded)
        #expect(events.contains { if case .check(let c) = $0 { c.passed } else { false } })
    }

    @Test func examplesExist() {
        #expect(Self.examples.count >= 2)
    }

    static func writeTask(_ yaml: String) throws -> String {
        let dir = try temporaryFolder()
        let path = dir + "/task.yaml"
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let fixtureSetup = """
        screen: 1280x800
        setup:
          - launch: [deskpilot-fixture, --log, "${env:DESKPILOT_SCRATCH}/fixture.log", --geometry, 800x600+0+0]
          - wait_for: {window: {class: DeskpilotFixture}}
        """

    @Test func goalStepHandsOverToTheAgent() async throws {
        let task = try Self.writeTask("""
            name: goal-step
            \(Self.fixtureSetup)
            steps:
              - click: {at: [100, 140]}
              - goal: "Type hi into the text field"
            checks:
              - file_contains: {path: "${env:DESKPILOT_SCRATCH}/fixture.log", text: '"value":"hi"'}
              - file_matches: {path: "${env:DESKPILOT_SCRATCH}/fixture.log", regex: '"label":"OK"'}
            """)
        let server = try await ScriptedModelServer.start(script: [
            .text("Action: click(start_box='(313,300)')"), .text("Action: type(content='hi')"),
            .text("Action: finished(content='done')"),
        ])
        let traces = try temporaryFolder()
        let result = try await EndToEnd.run(["run", task, "--headless", "--endpoint", server.baseURL.absoluteString,
                                             "--model", server.modelName, "--dialect", "seed", "--trace-dir", traces])
        await server.stop()
        #expect(result.status == 0, "stdout: \(result.stdout)\nstderr: \(result.stderr)")
        let (_, events) = try EndToEnd.trace(in: traces)
        let steps = events.compactMap { if case .step(let s) = $0 { s.step } else { nil } }
        #expect(steps == [1, 2, 3, 4])
    }

    @Test func failingCheckExits1AndIsNamed() async throws {
        let task = try Self.writeTask("""
            name: failing
            \(Self.fixtureSetup)
            steps:
              - click: {in_window: {class: DeskpilotFixture, at: [290, 140]}}
            checks:
              - file_matches: {path: "${env:DESKPILOT_SCRATCH}/fixture.log", regex: '"label":"Save"'}
            """)
        let result = try await EndToEnd.run(["run", task, "--headless", "--trace-dir", try temporaryFolder()])
        #expect(result.status == 1, "stdout: \(result.stdout)\nstderr: \(result.stderr)")
        #expect(result.stdout.contains("check failed: file_matches"))
        #expect(result.stdout.contains("task.yaml:"))
    }

    @Test func aTextTargetNotOnTheScreenFailsTheStepNamingItsLine() async throws {
        let task = try Self.writeTask("""
            name: text-target
            steps:
              - click: {text: "Save"}
            """)
        let result = try await EndToEnd.run(["run", task, "--headless", "--trace-dir", try temporaryFolder()])
        #expect(result.status == 1, "stdout: \(result.stdout)\nstderr: \(result.stderr)")
        #expect(result.stdout.contains("the text 'Save' is not on the screen"))
        #expect(result.stdout.contains("task.yaml:3:"))
    }

    @Test func policyAbortExits4() async throws {
        let dir = try temporaryFolder()
        try """
            name: no-typing
            actions: {deny: [type]}
            on_violation: abort
            """.write(toFile: dir + "/policy.yaml", atomically: true, encoding: .utf8)
        let task = try Self.writeTask("""
            name: abort
            steps:
              - type: "nope"
            """)
        let result = try await EndToEnd.run(["run", task, "--headless", "--policy", dir + "/policy.yaml",
                                             "--trace-dir", dir + "/traces"])
        #expect(result.status == 4, "stdout: \(result.stdout)\nstderr: \(result.stderr)")
    }
}
