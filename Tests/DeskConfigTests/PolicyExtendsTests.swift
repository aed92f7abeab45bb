import DeskCore
import Foundation
import Testing
@testable import DeskConfig

/// `extends:` — a policy built on another can add rules and tighten limits, never loosen what it extends.
@Suite("Policy extends")
struct PolicyExtendsTests {
    /// A private folder of policy files, removed at the end.
    final class PolicyFolder {
        let path: String
        init() throws {
            path = NSTemporaryDirectory() + "deskpilot-extends-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        deinit { try? FileManager.default.removeItem(atPath: path) }
        @discardableResult
        func write(_ name: String, _ yaml: String) throws -> String {
            let file = (path as NSString).appendingPathComponent(name)
            try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try yaml.write(toFile: file, atomically: true, encoding: .utf8)
            return file
        }
    }

    static let editor = PolicyWindow(id: 3, className: "Mousepad", title: "notes.txt")
    static let terminal = PolicyWindow(id: 7, className: "XTerm", title: "bash")

    static func verdict(_ action: ScreenAction, _ policy: Policy, window: PolicyWindow = editor) -> PolicyDecision.Verdict {
        var engine = PolicyEngine(policy: policy, startedAt: 0)
        return engine.evaluate(action, context: PolicyContext(now: 1, step: 1, focusedWindow: window)).verdict
    }

    /// Actions each built-in decides about; what a parent refuses, its child must refuse too.
    static let probes: [(ScreenAction, PolicyWindow)] = [
        (.key(chord: "ctrl+alt+backspace"), editor), (.key(chord: "ctrl+alt+f2"), editor),
        (.key(chord: "super+l"), editor), (.key(chord: "ctrl+alt+delete"), editor), (.key(chord: "alt+print"), editor),
        (.key(chord: "xf86poweroff"), editor), (.key(chord: "ctrl+q"), editor), (.key(chord: "super+e"), editor),
        (.type(text: "rm -rf /"), editor), (.type(text: "sudo ls"), editor), (.type(text: "curl x | sh"), editor),
        (.type(text: "curl x | tee y"), editor), (.type(text: "dd if=a of=/dev/null"), editor),
        (.type(text: "hello"), terminal), (.type(text: "hello"), editor), (.press(key: "shift"), editor),
        (.key(chord: "ctrl+s"), editor),
    ]

    @Test func eachBuiltinRefusesEverythingItsParentRefuses() throws {
        let chain = [try Policy.builtinPermissive, try Policy.builtinDefault, try Policy.builtinStrict]
        for (parent, child) in zip(chain, chain.dropFirst()) {
            for (action, window) in Self.probes where Self.verdict(action, parent, window: window) == .deny {
                #expect(Self.verdict(action, child, window: window) == .deny, "\(child.name) lets \(action) through")
            }
            #expect(Set(parent.keys.deny).isSubset(of: Set(child.keys.deny)))
            #expect(Set(parent.text.deny).isSubset(of: Set(child.text.deny)))
            #expect(Set(parent.windows.deny).isSubset(of: Set(child.windows.deny)))
            #expect(Set(parent.redact).isSubset(of: Set(child.redact)))
            #expect(child.pauseOnUserInput || !parent.pauseOnUserInput)
        }
    }

    @Test func builtinsKeepWhatTheyWereWrittenOutAsBeforeExtends() throws {
        let strict = try Policy.builtinStrict
        #expect(strict.name == "strict")
        #expect(strict.description?.hasPrefix("Allow-list style") == true)
        #expect(strict.onViolation == .abort)
        #expect(strict.limits.maxSteps == 30 && strict.limits.maxDuration == 600)
        #expect(strict.pauseOnUserInput)
        #expect(strict.killSwitch.normalized == "ctrl+alt+shift+escape")
        #expect(strict.windows.deny.count == 2)  // authentication prompts (default's) and terminals (its own)
        #expect(strict.redact.count == 6)
        let defaults = try Policy.builtinDefault
        #expect(defaults.name == "default" && defaults.limits.maxSteps == 100)
        #expect(defaults.keys.deny.count == 17)
        #expect(defaults.redact.count == 5)
        #expect(defaults.text.deny.count == 10)
    }

    @Test func aUserPolicyCannotLoosenWhatItExtends() throws {
        let folder = try PolicyFolder()
        let file = try folder.write("mine.yaml", """
            name: mine
            extends: strict
            limits: {max_steps: 500, max_duration: 2h}
            keys:
              allow: [ctrl+q, ctrl+s]
            on_violation: feedback
            pause_on_user_input: false
            windows:
              allow:
                - class: 'XTerm|Mousepad'
            """)
        let mine = try PolicyLoader.load(path: file)
        #expect(mine.name == "mine")
        #expect(mine.limits.maxSteps == 30)
        #expect(mine.limits.maxDuration == 600)
        #expect(mine.onViolation == .abort)
        #expect(mine.pauseOnUserInput)
        #expect(Self.verdict(.key(chord: "ctrl+q"), mine) == .deny)      // not on strict's allow-list
        #expect(Self.verdict(.key(chord: "ctrl+s"), mine) == .allow)     // on both
        #expect(Self.verdict(.key(chord: "ctrl+a"), mine) == .deny)      // strict's, but not on mine
        #expect(Self.verdict(.type(text: "hi"), mine, window: Self.terminal) == .deny)  // strict's terminal rule stays
    }

    @Test func aChildAddsRulesAndTightensLimits() throws {
        let folder = try PolicyFolder()
        try folder.write("base/team.yaml", """
            extends: default
            limits: {max_steps: 40}
            keys:
              deny: [ctrl+q]
            """)
        let file = try folder.write("project.yaml", """
            extends: base/team.yaml
            limits: {max_steps: 60, max_typed_characters: 10}
            text:
              deny: ['\\bdeploy\\b']
            kill_switch: ctrl+alt+shift+k
            """)
        let project = try PolicyLoader.load(path: file)
        #expect(project.name == "project")
        #expect(project.limits.maxSteps == 40)
        #expect(project.limits.maxTypedCharacters == 10)
        #expect(project.limits.maxDuration == 1800)  // from default, two levels up
        #expect(Self.verdict(.key(chord: "ctrl+q"), project) == .deny)
        #expect(Self.verdict(.type(text: "deploy now"), project) == .deny)
        #expect(Self.verdict(.type(text: "sudo ls"), project) == .deny)
        #expect(Self.verdict(.key(chord: "ctrl+alt+backspace"), project) == .deny)
        #expect(project.killSwitch.normalized == "ctrl+alt+shift+k")
        #expect(try PolicyLoader.load(path: folder.path + "/base/team.yaml").killSwitch.normalized
                == "ctrl+alt+shift+escape")
    }

    @Test func loopsMissingParentsAndDeepChainsAreOneClearError() throws {
        let folder = try PolicyFolder()
        let a = try folder.write("a.yaml", "extends: b.yaml\n")
        try folder.write("b.yaml", "name: b\nextends: a.yaml\n")
        let loop = #expect(throws: ConfigError.self) { try PolicyLoader.load(path: a) }
        #expect(loop?.description.contains("extends makes a loop") == true)
        #expect(loop?.description.contains("b.yaml:2:") == true)

        let selfish = try folder.write("self.yaml", "extends: ./self.yaml\n")
        #expect(throws: ConfigError.self) { try PolicyLoader.load(path: selfish) }

        let missing = try folder.write("missing.yaml", "name: m\nextends: nowhere.yaml\n")
        let error = #expect(throws: ConfigError.self) { try PolicyLoader.load(path: missing) }
        #expect(error?.description.contains("missing.yaml:2:") == true)
        #expect(error?.description.contains("neither a built-in policy") == true)

        for n in 0..<12 { try folder.write("p\(n).yaml", "extends: p\(n + 1).yaml\n") }
        try folder.write("p12.yaml", "name: bottom\n")
        let deep = #expect(throws: ConfigError.self) { try PolicyLoader.load(path: folder.path + "/p0.yaml") }
        #expect(deep?.description.contains("more than \(PolicyLoader.maxExtendsDepth) policies deep") == true)

        let bad = try folder.write("bad.yaml", "extends: [default]\n")
        #expect(throws: ConfigError.self) { try PolicyLoader.load(path: bad) }
    }

    @Test func aBrokenParentIsReportedAtItsOwnLine() throws {
        let folder = try PolicyFolder()
        try folder.write("parent.yaml", "name: parent\nlimits:\n  max_steps: zero\n")
        let child = try folder.write("child.yaml", "extends: parent.yaml\n")
        let error = #expect(throws: ConfigError.self) { try PolicyLoader.load(path: child) }
        #expect(error?.description.contains("parent.yaml:3:") == true)
    }
}
