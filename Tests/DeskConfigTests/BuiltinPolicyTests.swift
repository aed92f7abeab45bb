import DeskCore
import Foundation
import Testing
@testable import DeskConfig

@Suite("Built-in policies")
struct BuiltinPolicyTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    @Test(arguments: PolicyLoader.builtinNames)
    func compiledInCopyEqualsTheFile(_ name: String) throws {
        let file = Self.repository.appendingPathComponent("policies/\(name).yaml").path
        let onDisk = try String(contentsOfFile: file, encoding: .utf8)
        let compiled = try #require(BuiltinPolicies.yaml[name])
        #expect(compiled == onDisk, "Sources/DeskConfig/BuiltinPolicies.swift is out of date for policies/\(name).yaml; regenerate it (command in its header)")
    }

    @Test(arguments: PolicyLoader.builtinNames)
    func fileAndCompiledInCopyParseToTheSamePolicy(_ name: String) throws {
        let fromFile = try PolicyLoader.load(path: Self.repository.appendingPathComponent("policies/\(name).yaml").path)
        let builtin = try PolicyLoader.builtin(named: name)
        #expect(fromFile == builtin)
        #expect(builtin.name == name)
    }

    @Test func builtInPatternsCompiledAtFirstUseStillMatch() throws {
        let redact = try #require(try PolicyLoader.builtin(named: "permissive").redact.first)
        #expect(redact.matches("the key SK-abcdefghijklmnop1234"))
        #expect(!redact.matches("no key here"))
        #expect(redact.replacingMatches(in: "x sk-abcdefghijklmnop1234 y", with: "[redacted]") == "x [redacted] y")
    }

    @Test func accessorsReturnTheNamedPolicies() throws {
        #expect(try Policy.builtinDefault.name == "default")
        #expect(try Policy.builtinStrict.onViolation == .abort)
        #expect(try Policy.builtinPermissive.text.deny.isEmpty)
        #expect(try PolicyLoader.load(nameOrPath: "strict").name == "strict")
        #expect(throws: ConfigError.self) { try PolicyLoader.builtin(named: "lenient") }
    }

    @Test func defaultPolicyHasLimitsAndBlocksTheSessionKillers() throws {
        let policy = try Policy.builtinDefault
        #expect(policy.limits.maxSteps == 100)
        #expect(policy.limits.maxDuration == 1800)
        #expect(policy.killSwitch.normalized == "ctrl+alt+shift+escape")
        for chord in ["ctrl+alt+backspace", "ctrl+alt+delete", "ctrl+alt+f1", "ctrl+alt+F12", "super+l", "Alt_R+Control_R+Delete"] {
            let parsed = try KeyChord.parse(chord)
            #expect(policy.keys.deny.contains { $0.matches(parsed, exactModifiers: false) }, "\(chord)")
        }
    }
}
