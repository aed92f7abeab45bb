import DeskCore
import Foundation
import Testing
@testable import DeskConfig

/// Input files are bounded before anything expands or runs them (issue 15, item 7): alias bombs, endless
/// durations, control characters in typed text, invalid UTF-8, and any X keysym name accepted.
@Suite("Bounded input")
struct BoundedInputTests {
    /// A ~700-byte "billion laughs" in a task's checks: six levels of nine aliases, 2·9⁶ checks expanded.
    static let aliasBomb: String = {
        var yaml = "goal: g\nchecks:\n- all: &a0 [{file_exists: /x}, {file_exists: /x}]\n"
        for level in 1...6 {
            yaml += "- all: &a\(level) [" + Array(repeating: "{all: *a\(level - 1)}", count: 9).joined(separator: ",") + "]\n"
        }
        return yaml
    }()

    @Test func aliasBombInATaskIsRefusedAtOnce() {
        #expect(Self.aliasBomb.utf8.count < 800)
        #expect {
            _ = try TaskLoader.parse(yaml: Self.aliasBomb, file: "bomb.yaml", directory: "/", checkFiles: false)
        } throws: { error in
            let text = "\(error)"
            return text.hasPrefix("bomb.yaml:") && text.contains("aliases would expand")
        }
    }

    @Test func aliasBombInAPolicyAndInKeysIsRefused() {
        var yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        // Aliases used as mapping keys: Yams hashes keys while composing, so this must be caught before.
        for level in 1...8 { yaml += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]\n" }
        yaml += "? *a8\n: 1\n? [*a8]\n: 2\n"
        #expect(throws: ConfigError.self) { try PolicyLoader.parse(yaml: yaml, file: "keys.yaml") }
    }

    @Test func tooManyAliasesAreRefusedButAFewAreFine() throws {
        var yaml = "name: p\nkeys:\n  deny: &d [ctrl+q]\nconfirm:\n"
        for _ in 0...YAMLAliasBudget.maximumAliases { yaml += "  - {reason: r, keys: *d}\n" }
        #expect {
            _ = try PolicyLoader.parse(yaml: yaml, file: "many.yaml")
        } throws: { error in "\(error)".contains("more than \(YAMLAliasBudget.maximumAliases) aliases") }

        let few = "name: p\nkeys:\n  deny: &d [ctrl+q, 'super+*']\nconfirm:\n  - {reason: r, keys: *d}\n"
        let policy = try PolicyLoader.parse(yaml: few, file: "few.yaml")
        #expect(policy.confirm.first?.keys?.count == 2)
        // Asterisks in quoted text, comments and block scalars are not aliases.
        let prose = "goal: |\n  * bold * and *this*\n  - *item\nsteps:\n  - type: '*not an alias*'  # *nor this\n"
        let task = try TaskLoader.parse(yaml: prose, file: "prose.yaml", directory: "/", checkFiles: false)
        #expect(task.goal?.contains("*this*") == true)
    }

    @Test func durationsAreBounded() {
        for yaml in ["steps:\n  - wait: 25h\n", "goal: g\nmax_duration: 100000h\n",
                     "steps:\n  - wait_for: {window: {class: x}, timeout: 9999999s}\n"] {
            #expect {
                _ = try TaskLoader.parse(yaml: yaml, file: "t.yaml", directory: "/", checkFiles: false)
            } throws: { error in "\(error)".contains("at most 24h") }
        }
        #expect(DurationText.seconds("24h") == 86_400)
        #expect(DurationText.seconds("86401s") == nil)
    }

    @Test func controlCharactersInTypedTextNameTheStep() throws {
        for (escape, name) in [("\\b", "U+0008 (backspace)"), ("\\x7f", "U+007F (delete)"), ("\\e", "U+001B (escape)"),
                               ("\\0", "U+0000 (NUL)"), ("\\r", "U+000D")] {
            let yaml = "steps:\n  - type: 'ok'\n  - type: \"rm -r;\(escape) -f /tmp/victim\"\n"
            #expect {
                _ = try TaskLoader.parse(yaml: yaml, file: "t.yaml", directory: "/", checkFiles: false)
            } throws: { error in
                let text = "\(error)"
                return text.hasPrefix("t.yaml:3:11: steps[1].type:") && text.contains(name) && text.contains("at character 7")
                    && text.contains("key: BackSpace")
            }
        }
        let fine = try TaskLoader.parse(yaml: "steps:\n  - type: \"a\\tb\\nc\"\n", file: "t.yaml", directory: "/", checkFiles: false)
        #expect(fine.steps.count == 1)
    }

    @Test func invalidUTF8IsLocated() throws {
        let dir = NSTemporaryDirectory() + "deskpilot-utf8-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var bytes = Array("goal: g\nsteps:\n  - type: 'h\u{e9}".utf8)
        bytes += [0xFF, 0xFE] + Array("'\n".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: dir + "/bad.yaml"))
        #expect {
            _ = try TaskLoader.load(path: dir + "/bad.yaml")
        } throws: { error in "\(error)".hasPrefix(dir + "/bad.yaml:3:14: the task file is not UTF-8 text: byte 0xFF") }
        try Data(bytes).write(to: URL(fileURLWithPath: dir + "/bad-policy.yaml"))
        #expect {
            _ = try PolicyLoader.load(path: dir + "/bad-policy.yaml")
        } throws: { error in "\(error)".hasPrefix(dir + "/bad-policy.yaml:3:14: the policy file is not UTF-8") }
    }

    @Test func anyXKeysymNameIsAKey() throws {
        let task = try TaskLoader.parse(yaml: "steps:\n  - key: ctrl+Cyrillic_shorti\n  - key: Greek_alpha\n  - key: EuroSign\n",
                                        file: "t.yaml", directory: "/", checkFiles: false)
        #expect(task.steps.count == 3)
        let shorti = try KeyName.named("Cyrillic_shorti")
        #expect(shorti.keysym == "Cyrillic_shorti")
        #expect(shorti.character == "й")
        #expect(try KeyName.named("cyrillic_shorti").keysym == "Cyrillic_shorti")
        #expect(try KeyName.named("Cyrillic_SHORTI").keysym == "Cyrillic_SHORTI")
        // A deprecated spelling of the same keysym value is the same key (so a deny rule cannot be dodged).
        #expect(try KeyName.named("Serbian_dje").keysym == "Serbian_dje")
        #expect(try KeyName.named("Ukranian_je").keysym == "Ukrainian_ie")
    }
}
