import DeskCore
import Testing
@testable import DeskConfig

@Suite("Policy loader")
struct PolicyLoaderTests {
    @Test func readsEverySection() throws {
        let yaml = """
        name: mine
        description: test
        limits: {max_steps: 5, max_duration: 90s, max_actions_per_minute: 10, max_typed_characters: 0}
        actions: {allow: [click, key], deny: [drag]}
        keys: {allow: [ctrl+c], deny: ['ctrl+alt+f*', super+l]}
        text:
          stream_length: 64
          deny:
            - 'rm\\s+-rf'
            - {pattern: sudo, reason: root}
        windows:
          allow: [{class: gedit}]
          deny: [{title: 'secret', reason: private}]
        regions:
          allow: [[0, 0, 800, 600]]
          deny: [{x: 10, y: 20, width: 30, height: 40}]
        confirm:
          - {actions: [type], windows: [{title: password}], reason: sign in}
        on_violation: abort
        redact: ['token=\\S+']
        kill_switch: ctrl+alt+shift+k
        pause_on_user_input: true
        """
        let policy = try PolicyLoader.parse(yaml: yaml, file: "p.yaml")
        #expect(policy.name == "mine")
        #expect(policy.limits == PolicyLimits(maxSteps: 5, maxDuration: 90, maxActionsPerMinute: 10, maxTypedCharacters: 0))
        #expect(policy.actions.allow == [.click, .key])
        #expect(policy.actions.deny == [.drag])
        #expect(policy.keys.allow?.map(\.text) == ["ctrl+c"])
        #expect(policy.keys.deny.count == 2)
        #expect(policy.text.streamLength == 64)
        #expect(policy.text.deny.map(\.pattern.pattern) == [#"rm\s+-rf"#, "sudo"])
        #expect(policy.text.deny[1].reason == "root")
        #expect(policy.windows.allow?.first?.className?.pattern == "gedit")
        #expect(policy.windows.deny.first?.reason == "private")
        #expect(policy.regions.allow == [Rect(x: 0, y: 0, width: 800, height: 600)])
        #expect(policy.regions.deny == [Rect(x: 10, y: 20, width: 30, height: 40)])
        #expect(policy.confirm.first?.actions == [.type])
        #expect(policy.onViolation == .abort)
        #expect(policy.redact.map(\.pattern) == [#"token=\S+"#])
        #expect(policy.killSwitch.normalized == "ctrl+alt+shift+k")
        #expect(policy.pauseOnUserInput)
    }

    @Test func nameDefaultsToTheFileAndEverythingElseIsOptional() throws {
        let policy = try PolicyLoader.parse(yaml: "description: nothing else\n", file: "x.yaml", defaultName: "x")
        #expect(policy.name == "x")
        #expect(policy == Policy(name: "x", description: "nothing else"))
    }

    /// Broken policy YAML → the `file:line:column:` it must report and a fragment of the message.
    static let broken: [(yaml: String, position: String, fragment: String)] = [
        ("nme: x\n", "1:1", "unknown key 'nme' in the policy (did you mean 'name'?)"),
        ("limits:\n  max_step: 3\n", "2:3", "unknown key 'max_step'"),
        ("limits:\n  max_steps: three\n", "2:14", "max_steps must be a whole number"),
        ("limits:\n  max_steps: 0\n", "2:14", "at least 1"),
        ("limits:\n  max_steps: 2.5\n", "2:14", "whole number"),
        ("limits:\n  max_duration: 10\n", "2:17", "a unit is required"),
        ("limits:\n  max_duration: 10 minutes\n", "2:17", "duration"),
        ("limits: [1, 2]\n", "1:9", "limits must be a mapping, found a list"),
        ("actions:\n  deny: [click, klick]\n", "2:17", "actions.deny[1] must be one of"),
        ("actions:\n  deny: click\n", "2:9", "actions.deny must be a list"),
        ("keys:\n  deny:\n    - ctrl+alt+dle\n", "3:7", "unknown key 'dle'"),
        ("keys:\n  deny:\n    - ctrl+alt+\n", "3:7", "ends with '+'"),
        ("keys:\n  deny:\n    - ctrl+a+b\n", "3:7", "more than one key"),
        ("text:\n  deny:\n    - 'rm (-rf'\n", "3:7", "bad regular expression 'rm (-rf'"),
        ("text:\n  deny:\n    - {pattern: 'a[', reason: x}\n", "3:17", "text.deny[0].pattern"),
        ("text:\n  deny:\n    - {reason: x}\n", "3:7", "needs 'pattern'"),
        ("text:\n  stream_length: 4\n", "2:18", "between 16 and"),
        ("windows:\n  deny:\n    - {reason: x}\n", "3:7", "needs 'class' or 'title'"),
        ("windows:\n  deny:\n    - {class: '('}\n", "3:15", "bad regular expression"),
        ("windows:\n  deny:\n    - {klass: x}\n", "3:8", "did you mean 'class'"),
        ("regions:\n  deny:\n    - [1, 2, 3]\n", "3:7", "must be [x, y, width, height]"),
        ("regions:\n  deny:\n    - [1, 2, 0, 5]\n", "3:7", "positive width and height"),
        ("regions:\n  deny:\n    - {x: 1, y: 2, width: 3}\n", "3:7", "needs 'height'"),
        ("confirm:\n  - {reason: why}\n", "2:5", "needs at least one condition"),
        ("confirm:\n  - {actions: [type]}\n", "2:5", "needs 'reason'"),
        ("on_violation: explode\n", "1:15", "on_violation must be one of feedback, abort"),
        ("redact: ['(']\n", "1:10", "redact[0]: bad regular expression"),
        ("kill_switch: escape\n", "1:14", "at least one modifier"),
        ("kill_switch: ctrl+nope\n", "1:14", "unknown key 'nope'"),
        ("pause_on_user_input: maybe\n", "1:22", "true or false"),
        ("name: a\nname: b\n", "1:1", "duplicate key 'name'"),
        ("name: [unclosed\n", "2:1", "YAML syntax"),
        ("limits:\n\tmax_steps: 3\n", "2:1", "YAML syntax"),
        ("", "1:1", "the file is empty"),
        ("- a\n- b\n", "1:1", "the policy must be a mapping"),
    ]

    @Test(arguments: broken)
    func mistakesReportLineAndColumn(_ example: (yaml: String, position: String, fragment: String)) {
        do {
            let policy = try PolicyLoader.parse(yaml: example.yaml, file: "bad.yaml")
            Issue.record("parsed without error: \(policy)")
        } catch {
            #expect(error.description.hasPrefix("bad.yaml:\(example.position): "), "\(error.description)")
            #expect(error.description.contains(example.fragment), "\(error.description)")
            #expect(error.exitStatus == .usage)
        }
    }

    @Test func missingFileIsAnError() {
        #expect(throws: ConfigError.self) { try PolicyLoader.load(path: "/nonexistent/policy.yaml") }
    }
}
