import DeskConfig
import DeskCore
import Foundation
import Testing

/// `desktop: openbox | bare | {wm: openbox, a11y: true}` in a task file.
@Suite struct TaskDesktopTests {
    func parse(_ line: String) throws -> TaskFile {
        try TaskLoader.parse(yaml: "goal: g\n\(line)\n", file: "t.yaml", directory: "/tmp")
    }

    @Test func namesAndMappingsParse() throws {
        #expect(try parse("name: x").desktop == nil)
        #expect(try parse("desktop: openbox").desktop == .openbox)
        #expect(try parse("desktop: bare").desktop == .bare)
        #expect(try parse("desktop: {wm: openbox, a11y: true}").desktop == .openbox)
        #expect(try parse("desktop: {wm: openbox, a11y: false}").desktop
                == DesktopChoice(windowManager: .openbox, accessibility: false))
        #expect(try parse("desktop: {wm: none, a11y: true}").desktop
                == DesktopChoice(windowManager: .none, accessibility: true))
        #expect(try parse("desktop: {a11y: true}").desktop == .openbox)
    }

    @Test func mistakesNameTheLine() throws {
        for (line, message) in [("desktop: kde", "desktop must be openbox or bare"),
                                ("desktop: {wm: openbx}", "did you mean 'openbox'?"),
                                ("desktop: {wm: openbox, accessibility: true}", "unknown key 'accessibility'")] {
            do {
                _ = try parse(line)
                Issue.record("no error for \(line)")
            } catch let error as ConfigError {
                #expect(error.description.hasPrefix("t.yaml:2:"), "\(error.description)")
                #expect(error.description.contains(message), "\(error.description)")
            }
        }
    }

    @Test func theChoiceSurvivesCodable() throws {
        let task = try parse("desktop: {wm: openbox, a11y: false}")
        let json = String(decoding: try JSONEncoder().encode(task), as: UTF8.self)
        #expect(json.contains("\"desktop\":{") && json.contains("\"wm\":\"openbox\"") && json.contains("\"a11y\":false"))
        #expect(try JSONDecoder().decode(TaskFile.self, from: Data(json.utf8)).desktop == task.desktop)
    }
}
