import DeskCore
import Foundation
import Testing
@testable import DeskConfig

@Suite("Record: the task file a recording writes")
struct RecordedTaskWriterTests {
    @Test func writesATaskTheLoaderReadsBackStepForStep() throws {
        let writer = RecordedTaskWriter(
            name: "demo", screen: Size(width: 1280, height: 800),
            launches: ["deskpilot-fixture --log \"${env:DESKPILOT_SCRATCH}/f.log\""],
            windowWaits: ["Deskpilot.Fixture"],
            steps: [
                .click(.text("OK"), button: .left, count: 1),
                .click(.text("Save \"as\""), button: .left, count: 2),
                .click(.inWindow(className: "Deskpilot.Fixture", at: Point(x: 400, y: 240)), button: .right, count: 1),
                .click(.at(Point(x: 5, y: 6)), button: .middle, count: 2),
                .click(.image(file: "demo-01.png"), button: .left, count: 3),
                .drag(from: .text("a"), to: .at(Point(x: 9, y: 9)), button: .left),
                .scroll(.text("List"), direction: .down, notches: 3),
                .type("price: ${x} \\ \"q\"\n\ttab \u{e9}t\u{e9}", secretName: nil),
                .type("", secretName: "RECORDED_1"),
                .key(try KeyChord.parse("ctrl+shift+t")),
                .waitForWindow(className: "Dialog"),
                .waitForText("Saved"),
                .waitForStable(milliseconds: 300),
            ],
            comment: "Recorded on :9\nsecond line")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("deskpilot-rec-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        FileManager.default.createFile(atPath: folder + "/demo-01.png", contents: Data([0]))
        let task = try TaskLoader.parse(yaml: writer.text(), file: "demo.yaml", directory: folder,
                                        environment: ["DESKPILOT_SCRATCH": "/s", "DESKPILOT_SECRET_RECORDED_1": "hunter2"])
        #expect(task.name == "demo")
        #expect(task.steps.count == 13)
        guard task.steps.count == 13 else { return }
        #expect(task.steps[0].kind == .click(.text("OK"), button: .left, count: 1))
        #expect(task.steps[1].kind == .click(.text("Save \"as\""), button: .left, count: 2))
        guard case .click(.inWindow(let matcher, let at), .right, 1) = task.steps[2].kind else {
            Issue.record("step 3 is \(task.steps[2].kind)")
            return
        }
        #expect(at == Point(x: 400, y: 240))
        // The class is matched exactly, not as a pattern: the dot is literal.
        #expect(matcher.matches(PolicyWindow(className: "Deskpilot.Fixture", title: "")))
        #expect(!matcher.matches(PolicyWindow(className: "DeskpilotXFixture", title: "")))
        #expect(!matcher.matches(PolicyWindow(className: "Deskpilot.Fixture2", title: "")))
        #expect(task.steps[3].kind == .click(.at(Point(x: 5, y: 6)), button: .middle, count: 2))
        #expect(task.steps[4].kind == .click(.image(path: folder + "/demo-01.png"), button: .left, count: 3))
        #expect(task.steps[6].kind == .scroll(.text("List"), direction: .down, notches: 3))
        // Recorded text is typed as it was: `${` stays literal, control characters survive quoting.
        guard case .type(let typed) = task.steps[7].kind, case .type(let secret) = task.steps[8].kind else {
            Issue.record("steps 8 and 9 are not type steps")
            return
        }
        #expect(typed.resolved == "price: ${x} \\ \"q\"\n\ttab \u{e9}t\u{e9}")
        #expect(secret.resolved == "hunter2" && secret.containsSecret)
        #expect(writer.secretNames == ["RECORDED_1"])
        #expect(!writer.text().contains("hunter2"))
        #expect(task.steps[9].kind == .key(try KeyChord.parse("ctrl+shift+t")))
        #expect(task.setup.count == 2)
    }
}
