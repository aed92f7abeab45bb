import DeskCore
import Foundation
import Testing
@testable import DeskConfig

/// A temporary folder with files in it, removed when the value is released.
final class TaskFolder {
    let path: String

    init(files: [String: String] = [:]) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("deskpilot-task-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for (name, contents) in files {
            let file = (path as NSString).appendingPathComponent(name)
            try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try contents.write(toFile: file, atomically: true, encoding: .utf8)
        }
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }
}

@Suite("Task loader")
struct TaskLoaderTests {
    static let environment = ["HOME": "/home/u", "USER": "ada", "DESKPILOT_SECRET_PW": "s3cret!"]

    @Test func readsAFullTask() throws {
        let folder = try TaskFolder(files: [
            "save.png": "png", "expected.txt": "hello\n", "policy.yaml": "name: mine\n",
            "task.yaml": """
            name: demo
            description: Type and save.
            goal: Save a note for ${env:USER}
            screen: 1280x800
            policy: policy.yaml
            max_steps: 20
            max_duration: 2m
            setup:
              - "rm -f /tmp/out.txt"
              - [touch, /tmp/in.txt]
              - {run: [sleep, '1'], timeout: 5s}
              - launch: [xterm, -title, demo]
              - wait_for: {window: {class: xterm}, timeout: 5s}
              - focus: {name: demo}
            steps:
              - click: [10, 20]
              - click: {text: Save, button: right, count: 2}
              - double_click: {image: save.png}
              - right_click: {in_window: {class: xterm, at: [5, 6]}}
              - middle_click: "Paste"
              - move: {at: [1, 2]}
              - drag: {from: [1, 1], to: {text: Trash}}
              - scroll: down
              - scroll: {direction: up, amount: 5, at: [3, 4]}
              - key: ctrl+s
              - type: "user ${env:USER} pw ${secret:PW} $${literal}"
              - focus: {class: gedit}
              - wait: 500ms
              - wait_for: {screen_stable: 1s}
              - wait_for: {text: Saved, timeout: 3s}
              - goal: Close the dialog
              - goal: {text: Quit, max_steps: 4}
            checks:
              - file_exists: out.txt
              - file_contains: {path: /tmp/out.txt, text: hello}
              - file_matches: {path: ~/out.txt, regex: '^hel+o$'}
              - file_equals: {path: out.txt, fixture: expected.txt}
              - command: "test -f /tmp/out.txt"
              - command: {run: [cat, x], exit_status: 1, output_contains: hi, output_matches: 'h.', timeout: 2s}
              - window: {class: gedit, title: 'out\\.txt'}
              - screen_contains: Saved
              - any: [{file_exists: a}, {not: {file_exists: b}}]
              - all: [{screen_contains: A}]
            """,
        ])
        let task = try TaskLoader.load(path: folder.file("task.yaml"), environment: Self.environment)
        #expect(task.name == "demo")
        #expect(task.goal == "Save a note for ada")
        #expect(task.screen == Size(width: 1280, height: 800))
        #expect(task.policy == folder.file("policy.yaml"))
        #expect(task.limits == PolicyLimits(maxSteps: 20, maxDuration: 120))
        #expect(task.directory == folder.path)
        #expect(task.path == folder.file("task.yaml"))

        #expect(task.setup.count == 6)
        #expect(task.setup[0].kind == .run(.shell(TaskText("rm -f /tmp/out.txt")), background: false, timeout: SetupItem.defaultCommandTimeout))
        #expect(task.setup[1].kind == .run(.argv([TaskText("touch"), TaskText("/tmp/in.txt")]), background: false, timeout: 60))
        #expect(task.setup[2].kind == .run(.argv([TaskText("sleep"), TaskText("1")]), background: false, timeout: 5))
        guard case .run(let launch, background: true, _) = task.setup[3].kind else { Issue.record("launch"); return }
        #expect(launch.resolvedArguments == ["xterm", "-title", "demo"])
        guard case .waitFor(.window(let window), timeout: 5) = task.setup[4].kind else { Issue.record("wait_for"); return }
        #expect(window.className?.pattern == "xterm")
        guard case .focus(let focus) = task.setup[5].kind else { Issue.record("focus"); return }
        #expect(focus.title?.pattern == "demo")
        #expect(task.setup[0].source?.line == 9)

        let kinds = task.steps.map(\.kind)
        #expect(kinds[0] == .click(.at(Point(x: 10, y: 20)), button: .left, count: 1))
        #expect(kinds[1] == .click(.text("Save"), button: .right, count: 2))
        #expect(kinds[2] == .click(.image(path: folder.file("save.png")), button: .left, count: 2))
        guard case .click(.inWindow(let inWindow, at: Point(x: 5, y: 6)), button: .right, count: 1) = kinds[3] else {
            Issue.record("in_window: \(kinds[3])"); return
        }
        #expect(inWindow.className?.pattern == "xterm")
        #expect(kinds[4] == .click(.text("Paste"), button: .middle, count: 1))
        #expect(kinds[5] == .move(.at(Point(x: 1, y: 2))))
        #expect(kinds[6] == .drag(from: .at(Point(x: 1, y: 1)), to: .text("Trash"), button: .left))
        #expect(kinds[7] == .scroll(nil, direction: .down, notches: 3))
        #expect(kinds[8] == .scroll(.at(Point(x: 3, y: 4)), direction: .up, notches: 5))
        #expect(kinds[9] == .key(try KeyChord.parse("ctrl+s")))
        guard case .type(let typed) = kinds[10] else { Issue.record("type"); return }
        #expect(typed.resolved == "user ada pw s3cret! ${literal}")
        #expect(typed.containsSecret)
        #expect(typed.description == "user ${env:USER} pw ${secret:PW} $${literal}")
        #expect(kinds[12] == .wait(seconds: 0.5))
        #expect(kinds[13] == .waitFor(.screenStable(quietSeconds: 1), timeout: TaskStep.defaultWaitTimeout))
        #expect(kinds[14] == .waitFor(.text("Saved"), timeout: 3))
        #expect(kinds[15] == .goal("Close the dialog", maxSteps: nil))
        #expect(kinds[16] == .goal("Quit", maxSteps: 4))
        #expect(task.steps[0].source == DeskCore.SourceLocation(file: folder.file("task.yaml"), line: 16, column: 5))
        #expect(task.secrets == ["s3cret!"])

        let checks = task.checks.map(\.kind)
        #expect(checks[0] == .fileExists(path: folder.file("out.txt")))
        #expect(checks[1] == .fileContains(path: "/tmp/out.txt", text: TaskText("hello")))
        guard case .fileMatches(let matchPath, let regex) = checks[2] else { Issue.record("file_matches"); return }
        #expect(matchPath == "/home/u/out.txt")
        #expect(!regex.caseInsensitive)
        #expect(checks[3] == .fileEquals(path: folder.file("out.txt"), fixture: folder.file("expected.txt")))
        #expect(checks[4] == .command(.shell(TaskText("test -f /tmp/out.txt")), exitStatus: 0, outputContains: nil, outputMatches: nil,
                                      timeout: Check.defaultCommandTimeout))
        guard case .command(_, exitStatus: 1, outputContains: TaskText("hi"), outputMatches: .some, timeout: 2) = checks[5] else {
            Issue.record("command: \(checks[5])"); return
        }
        guard case .any(let anyOf) = checks[8], anyOf.count == 2, case .not = anyOf[1].kind else { Issue.record("any"); return }
    }

    @Test func secretsNeverLeaveThroughCodable() throws {
        let task = try TaskLoader.parse(yaml: "steps:\n  - type: 'pw ${secret:PW}'\n", file: "t.yaml", directory: "/tmp",
                                        environment: Self.environment)
        let json = String(decoding: try JSONEncoder().encode(task), as: UTF8.self)
        #expect(!json.contains("s3cret"))
        #expect(json.contains("${secret:PW}"))
        let redactor = Redactor().adding(secrets: task.secrets)
        #expect(redactor.redact("typed pw s3cret!") == "typed pw [redacted]")
    }

    @Test func builtinPolicyNamesAreAccepted() throws {
        let task = try TaskLoader.parse(yaml: "goal: g\npolicy: strict\n", file: "t.yaml", directory: "/nonexistent")
        #expect(task.policy == "strict")
        #expect(task.name == "t")
    }

    @Test func aBrokenPolicyFileFailsTheTask() throws {
        let folder = try TaskFolder(files: ["p.yaml": "limits:\n  max_stepz: 1\n"])
        do {
            _ = try TaskLoader.parse(yaml: "goal: g\npolicy: p.yaml\n", file: "t.yaml", directory: folder.path)
            Issue.record("no error")
        } catch {
            #expect(error.description.hasPrefix("\(folder.file("p.yaml")):2:3: unknown key 'max_stepz'"), "\(error.description)")
        }
    }
}
