import DeskCore
import Testing
@testable import DeskConfig

@Suite("Task loader errors")
struct TaskLoaderErrorTests {
    /// Broken task YAML → the `file:line:column:` it must report and a fragment of the message.
    static let broken: [(yaml: String, position: String, fragment: String)] = [
        ("gaol: x\n", "1:1", "unknown key 'gaol' in the task (did you mean 'goal'?)"),
        ("name: x\n", "1:1", "needs a 'goal'"),
        ("goal: [a]\n", "1:7", "goal must be text"),
        ("goal: g\nscreen: 1280\n", "2:9", "WIDTHxHEIGHT"),
        ("goal: g\nmax_duration: 5\n", "2:15", "a unit is required"),
        ("goal: g\nmax_steps: -1\n", "2:12", "at least 1"),
        ("goal: g\npolicy: missing.yaml\n", "2:9", "no such file"),
        ("steps:\n  - clik: [1, 2]\n", "2:5", "unknown key 'clik' in steps[0] (did you mean 'click'?)"),
        ("steps:\n  - click: {}\n", "2:12", "needs a target"),
        ("steps:\n  - click: {button: left}\n", "2:12", "needs a target"),
        ("steps:\n  - click: {at: [1, 2], text: Save}\n", "2:25", "more than one target"),
        ("steps:\n  - click: [1]\n", "2:12", "must be [x, y]"),
        ("steps:\n  - click: [a, 2]\n", "2:13", "x must be a whole number"),
        ("steps:\n  - click: {at: [1, 2], button: lft}\n", "2:33", "button must be one of left, middle, right"),
        ("steps:\n  - click: {at: [1, 2], count: 4}\n", "2:32", "between 1 and 3"),
        ("steps:\n  - right_click: {at: [1, 2], button: left}\n", "2:31", "unknown key 'button'"),
        ("steps:\n  - click: {image: nope.png}\n", "2:20", "no such file"),
        ("steps:\n  - click: {in_window: {class: x}}\n", "2:24", "needs 'at'"),
        ("steps:\n  - click: {in_window: {at: [1, 2]}}\n", "2:24", "needs 'class' or 'name'"),
        ("steps:\n  - drag: {from: [1, 2]}\n", "2:11", "needs 'to'"),
        ("steps:\n  - scroll: sideways\n", "2:13", "must be one of up, down, left, right"),
        ("steps:\n  - scroll: {amount: 2}\n", "2:13", "needs 'direction'"),
        ("steps:\n  - key: ctrl+shfit+t\n", "2:10", "unknown key 'shfit'"),
        ("steps:\n  - key: \"ctrl+\"\n", "2:10", "ends with '+'"),
        ("steps:\n  - type: 'hi ${env:NOPE_UNSET_VAR}'\n", "2:11", "environment variable NOPE_UNSET_VAR is not set"),
        ("steps:\n  - type: '${secret:NOPE}'\n", "2:11", "set the environment variable DESKPILOT_SECRET_NOPE"),
        ("steps:\n  - type: '${home}'\n", "2:11", "unknown reference '${home}'"),
        ("steps:\n  - type: 'a ${env:X'\n", "2:11", "without a closing"),
        ("steps:\n  - type: [a]\n", "2:11", "must be text"),
        ("steps:\n  - wait: 5\n", "2:11", "a unit is required"),
        ("steps:\n  - wait: soon\n", "2:11", "duration"),
        ("steps:\n  - wait_for: {timeout: 2s}\n", "2:15", "needs one of window, screen_stable, text"),
        ("steps:\n  - wait_for: {text: a, window: {class: b}}\n", "2:25", "waits for one thing"),
        ("steps:\n  - wait_for: {text: a, timeout: 2}\n", "2:34", "a unit is required"),
        ("steps:\n  - goal: 'use ${secret:PW}'\n", "2:11", "not allowed here"),
        ("steps:\n  - click: [1, 2]\n    type: x\n", "3:5", "more than one action"),
        ("steps:\n  - {}\n", "2:5", "is empty"),
        ("steps:\n  - click\n", "2:5", "steps[0] must be a mapping"),
        ("steps: click\n", "1:8", "steps must be a list"),
        ("goal: g\nsetup:\n  - {run: x, launch: y}\n", "3:14", "has both 'run' and 'launch'"),
        ("goal: g\nsetup:\n  - {launch: x, timeout: 2s}\n", "3:17", "'timeout' goes with 'run'"),
        ("goal: g\nsetup:\n  - {run: []}\n", "3:11", "must not be an empty list"),
        ("goal: g\nsetup:\n  - {run: x, background: sometimes}\n", "3:26", "true or false"),
        ("goal: g\nchecks:\n  - file_exist: a\n", "3:5", "did you mean 'file_exists'"),
        ("goal: g\nchecks:\n  - file_contains: {path: a}\n", "3:20", "needs 'text'"),
        ("goal: g\nchecks:\n  - file_matches: {path: a, regex: '(('}\n", "3:36", "bad regular expression"),
        ("goal: g\nchecks:\n  - file_equals: {path: a, fixture: none.txt}\n", "3:37", "no such file"),
        ("goal: g\nchecks:\n  - command: {run: x, exit_status: 300}\n", "3:36", "between 0 and 255"),
        ("goal: g\nchecks:\n  - all: []\n", "3:10", "needs at least one check"),
        ("goal: g\nchecks:\n  - any: [{file_exists: a}, {bogus: 1}]\n", "3:30", "unknown key 'bogus'"),
        ("goal: g\nchecks:\n  - window: {}\n", "3:13", "needs 'class' or 'name'"),
        ("goal: g\nchecks:\n  - window: {name: a, title: b}\n", "3:13", "both 'name' and 'title'"),
        ("goal: 'unterminated\n", "2:1", "YAML syntax"),
    ]

    @Test(arguments: broken)
    func mistakesReportLineAndColumn(_ example: (yaml: String, position: String, fragment: String)) {
        do {
            let task = try TaskLoader.parse(yaml: example.yaml, file: "task.yaml", directory: "/nonexistent-dir",
                                            environment: ["DESKPILOT_SECRET_PW": "x"])
            Issue.record("parsed without error: \(task)")
        } catch {
            #expect(error.description.hasPrefix("task.yaml:\(example.position): "), "\(error.description)")
            #expect(error.description.contains(example.fragment), "\(error.description)")
            #expect(error.exitStatus == .usage)
        }
    }
}
