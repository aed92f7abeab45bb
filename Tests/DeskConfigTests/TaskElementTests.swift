import DeskCore
import Testing
@testable import DeskConfig

@Suite("Task files: element targets, waits and checks")
struct TaskElementTests {
    static func parse(_ yaml: String) throws(ConfigError) -> TaskFile {
        try TaskLoader.parse(yaml: yaml, file: "task.yaml", directory: "/nonexistent-dir", environment: [:], checkFiles: false)
    }

    @Test func readsElementTargetsWaitsAndChecks() throws {
        let task = try Self.parse("""
        steps:
          - wait_for: {element: {role: button, name: "="}, timeout: 5s}
          - click: {element: {role: button, name: "=", nth: 2, within: galculator, near: Total}}
          - double_click: {element: {name: Report}}
        checks:
          - element: {role: check box, name: Dark mode, states: [checked, Focused]}
          - element_text: {element: {role: text}, regex: "^12$"}
          - element_text: {element: {name: Total}, text: "42"}
        """)
        #expect(task.steps[0].kind == .waitFor(.element(ElementQuery(role: "button", name: "=")), timeout: 5))
        #expect(task.steps[1].kind == .click(.element(ElementQuery(role: "button", name: "=", nth: 2, within: "galculator", near: "Total")),
                                             button: .left, count: 1))
        #expect(task.steps[2].kind == .click(.element(ElementQuery(name: "Report")), button: .left, count: 2))
        #expect(task.checks[0].kind == .element(ElementQuery(role: "check box", name: "Dark mode", states: ["checked", "focused"])))
        guard case .elementText(let q, nil, let regex?) = task.checks[1].kind else { Issue.record("\(task.checks[1])"); return }
        #expect(q.role == "text" && regex.pattern == "^12$")
        guard case .elementText(_, let text?, nil) = task.checks[2].kind else { Issue.record("\(task.checks[2])"); return }
        #expect(text.resolved == "42")
    }

    static let broken: [(yaml: String, position: String, fragment: String)] = [
        ("steps:\n  - click: {element: {states: [checked]}}\n", "2:22", "needs a role, a name or both"),
        ("steps:\n  - click: {element: {role: button, label: x}}\n", "2:37", "label"),
        ("checks:\n  - element: {role: button, states: [clicked]}\n", "2:37", "unknown state 'clicked'"),
        ("checks:\n  - element_text: {element: {role: text}}\n", "2:19", "one of text or regex"),
        ("steps:\n  - click: {element: {role: button}, text: OK}\n", "2:40", "more than one target"),
    ]

    @Test(arguments: broken)
    func mistakesSayWhere(_ example: (yaml: String, position: String, fragment: String)) {
        do {
            let task = try Self.parse(example.yaml)
            Issue.record("parsed without error: \(task)")
        } catch {
            #expect(error.description.contains(example.fragment), "\(error.description)")
            #expect(error.description.hasPrefix("task.yaml:"), "\(error.description)")
        }
    }
}
