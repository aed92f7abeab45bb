import DeskAgent
import DeskCore
import Foundation
import Testing
import DeskTestSupport

/// Finding a suite's task files, and the shape of the repository's own suite.
@Suite(.ownThread)
struct EvalSuiteTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    static func write(_ files: [String], in dir: String) throws {
        for file in files {
            let path = dir + "/" + file
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try "name: x\n".write(toFile: path, atomically: true, encoding: .utf8)
        }
    }

    @Test func findsTasksAndSkipsUnderscoreAndHiddenFolders() throws {
        let dir = try temporaryFolder()
        try Self.write(["b/two.yaml", "a/one.yml", "top.yaml", "a/deep/three.yaml", "_fixtures/policy.yaml",
                        ".hidden/x.yaml", "a/_helper.yaml", "notes.txt"], in: dir)
        let entries = try EvalSuite.discover(dir)
        #expect(entries.map(\.id) == ["a/deep/three", "a/one", "b/two", "top"])
        #expect(entries.map(\.group) == ["a", "a", "b", EvalTaskResult.ungrouped])
        #expect(entries[1].file == "a/one.yml")
        #expect(entries.allSatisfy { $0.path.hasPrefix("/") && FileManager.default.fileExists(atPath: $0.path) })
    }

    @Test func oneTaskFileIsASuiteOfOne() throws {
        let dir = try temporaryFolder()
        try Self.write(["solo.yaml"], in: dir)
        let entries = try EvalSuite.discover(dir + "/solo.yaml")
        #expect(entries.map(\.id) == ["solo"])
    }

    @Test func mistakesAreInputErrors() throws {
        let dir = try temporaryFolder()
        #expect(throws: InputError.self) { try EvalSuite.discover(dir) }                 // empty
        #expect(throws: InputError.self) { try EvalSuite.discover(dir + "/missing") }
        try Self.write(["a/x.yaml", "a/x.yml"], in: dir)
        #expect(throws: InputError.self) { try EvalSuite.discover(dir) }                 // same id twice
    }

    /// tasks/suite: at least 25 tasks in at least 5 groups, each with a goal, a scripted solution and checks.
    @Test func repositorySuiteHasGoalsSolutionsAndChecks() throws {
        let entries = try EvalSuite.discover(Self.repository + "/tasks/suite")
        #expect(entries.count >= 25)
        #expect(Set(entries.map(\.group)).count >= 5)
        #expect(!entries.contains { $0.group == EvalTaskResult.ungrouped })
        for entry in entries {
            let text = try String(contentsOfFile: entry.path, encoding: .utf8)
            let keys = Set(text.split(separator: "\n").compactMap { line -> String? in
                guard let first = line.first, first.isLetter, let colon = line.firstIndex(of: ":") else { return nil }
                return String(line[..<colon])
            })
            #expect(keys.isSuperset(of: ["name", "goal", "steps", "checks", "setup"]), "\(entry.file) lacks some of goal/steps/checks")
        }
    }
}
