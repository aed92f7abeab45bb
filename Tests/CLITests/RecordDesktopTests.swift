import DeskX11
import Foundation
import Testing
import DeskTestSupport

/// `deskpilot record --headless --desktop openbox`: the recorder starts a private desktop with the
/// accessibility bus, so the real GTK applications it launches name their widgets; clicks become
/// role-and-name targets, text typed into a password field becomes a secret, and each recorded task replays
/// on a fresh desktop to the same outcome.
@Suite(.serialized, .ownThread) struct RecordDesktopTests {
    typealias Failure = RecordTests.Failure

    /// A recorder on its own headless desktop, and the display it runs.
    struct Session {
        let recorder: RecordTests.Recorder
        let display: String

        init(task: String, launch: String, folder: String) throws {
            recorder = try RecordTests.Recorder(
                ["-o", task, "--headless", "--desktop", "openbox", "--screen", "1280x800",
                 "--trace-dir", folder + "/traces", "--launch", launch], folder: folder)
            let line = recorder.stderr.split(separator: "\n").first { $0.contains("recording on") } ?? ""
            guard let range = line.range(of: #":\d+"#, options: .regularExpression) else {
                throw Failure(description: "no display in '\(line)'")
            }
            display = String(line[range])
            guard line.contains("accessibility tree: targets by role and name") else {
                throw Failure(description: "the recorder found no accessibility tree: \(line)")
            }
        }

        /// Where the element is, waiting for the application to show it.
        func point(role: String, name: String?) throws -> (Int, Int) {
            let deadline = Date().addingTimeInterval(30)
            while true {
                let result = try CLIRunner.run(["locate", "--role", role] + (name.map { ["--name", $0] } ?? []) + ["--display", display])
                let fields = result.stdoutText.split(separator: " ")
                if result.status == 0, fields.count >= 2, let x = Int(fields[0]), let y = Int(fields[1]) { return (x, y) }
                if Date() > deadline { throw Failure(description: "no \(role) '\(name ?? "")' on \(display): \(result.stderr)") }
                usleep(200_000)
            }
        }

        func act(_ arguments: [String]) throws {
            let result = try CLIRunner.run(["act"] + arguments + ["--display", display])
            guard result.status == 0 else { throw Failure(description: "act \(arguments) failed: \(result.stderr)") }
        }

        func click(role: String, name: String) throws {
            let (x, y) = try point(role: role, name: name)
            try act(["click", "\(x)", "\(y)"])
            // The recorder names a click by a walk of the accessibility tree from before it, and walks on its
            // own in the background; nothing outside it tells when a walk after this click's effect (a menu
            // that opened) is done, so the next click waits a few walks' time.
            usleep(300_000)
        }

        /// Ends the recording with the stop chord; the task file's text.
        func stop(task: String) throws -> String {
            try act(["key", "ctrl+alt+shift+r"])
            let status = recorder.wait()
            guard status == 0 else { throw Failure(description: "record exited \(String(describing: status)): \(recorder.stderr)") }
            return try String(contentsOfFile: task, encoding: .utf8)
        }
    }

    func replay(_ task: String, folder: String, environment: [String: String?] = [:]) throws -> CLIRunner.Result {
        try CLIRunner.run(["run", task, "--headless", "--screen", "1280x800", "--trace-dir", folder + "/replay"],
                          environment: environment, timeout: 150)
    }

    @Test func galculatorKeysAreRecordedByRoleAndName() throws {
        let dir = try RecordTests().folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let task = dir + "/calc.yaml"
        let session = try Session(task: task, launch: "galculator", folder: dir)
        for key in ["9", "*", "6", "="] { try session.click(role: "toggle button", name: key) }
        try session.act(["key", "ctrl+c"])
        let text = try session.stop(task: task)
        #expect(text.contains("desktop: openbox"), "\(text)")
        #expect(text.contains(#"click: {element: {role: "toggle button", name: "9"}}"#), "\(text)")
        #expect(text.contains(#"click: {element: {role: "toggle button", name: "="}}"#), "\(text)")
        #expect(!text.contains("{at:") && !text.contains("image:"), "every key by role and name: \(text)")
        #expect(session.recorder.stdout.contains("4 element"), "\(session.recorder.stdout)")
        let checked = text + """
            checks:
              - command: ["sh", "-c", "test \\"$(xclip -o -selection clipboard)\\" = 54"]

            """
        try checked.write(toFile: task, atomically: true, encoding: .utf8)
        let result = try replay(task, folder: dir)
        #expect(result.status == 0, "replay: \(result.stdoutText) \(result.stderr)")
    }

    @Test func aPasswordFieldsTextIsASecretEverywhere() throws {
        let dir = try RecordTests().folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let task = dir + "/password.yaml"
        let session = try Session(task: task, launch: "zenity --password --title Unlock > \"${env:DESKPILOT_SCRATCH}/answer.txt\"",
                                  folder: dir)
        _ = try session.point(role: "password text", name: nil)
        // The field has the focus when the dialog opens; the person types and confirms.
        try session.act(["type", "Tr0ub4dor&3"])
        try session.act(["key", "Return"])
        // The person ends the recording once the dialog took the answer and closed.
        let display = try X11Display(name: session.display)
        let closed = Date().addingTimeInterval(30)
        while display.windows().contains(where: { $0.title == "Unlock" }), Date() < closed { usleep(50_000) }
        #expect(!display.windows().contains(where: { $0.title == "Unlock" }), "the password dialog stayed open")
        let text = try session.stop(task: task)
        #expect(text.contains("- type: \"${secret:RECORDED_1}\""), "\(text)")
        #expect(text.contains("- key: \"return\""), "Return confirms the field, outside the secret: \(text)")
        #expect(session.recorder.stderr.contains("DESKPILOT_SECRET_RECORDED_1"))
        for file in FileManager.default.enumerator(atPath: dir)?.compactMap({ $0 as? String }) ?? [] {
            guard let data = FileManager.default.contents(atPath: dir + "/" + file) else { continue }
            #expect(!String(decoding: data, as: UTF8.self).contains("Tr0ub4dor"), "\(file) holds the password")
        }
        let checked = text + """
            checks:
              - file_matches: {path: "${env:DESKPILOT_SCRATCH}/answer.txt", regex: '\\ATr0ub4dor&3\\n\\z'}

            """
        try checked.write(toFile: task, atomically: true, encoding: .utf8)
        let result = try replay(task, folder: dir, environment: ["DESKPILOT_SECRET_RECORDED_1": "Tr0ub4dor&3"])
        #expect(result.status == 0, "replay: \(result.stdoutText) \(result.stderr)")
    }

    @Test func mousepadMenusAreRecordedByRoleAndName() throws {
        let dir = try RecordTests().folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let task = dir + "/append.yaml"
        let launch = "printf 'alpha\\n' > \"${env:DESKPILOT_SCRATCH}/notes.txt\" && HOME=\"${env:DESKPILOT_SCRATCH}\" exec mousepad \"${env:DESKPILOT_SCRATCH}/notes.txt\""
        let session = try Session(task: task, launch: launch, folder: dir)
        _ = try session.point(role: "menu", name: "File")
        try session.act(["key", "ctrl+End"])
        try session.act(["type", "beta\n"])
        try session.click(role: "menu", name: "File")
        try session.click(role: "menu item", name: "Save")
        let text = try session.stop(task: task)
        #expect(text.contains(#"click: {element: {role: "menu", name: "File"}}"#), "\(text)")
        #expect(text.contains(#"click: {element: {role: "menu item", name: "Save"}}"#), "\(text)")
        #expect(text.contains(#"- type: "beta\n""#), "\(text)")
        let checked = text + """
            checks:
              - file_matches: {path: "${env:DESKPILOT_SCRATCH}/notes.txt", regex: '\\Aalpha\\nbeta\\n\\z'}

            """
        try checked.write(toFile: task, atomically: true, encoding: .utf8)
        let result = try replay(task, folder: dir)
        #expect(result.status == 0, "replay: \(result.stdoutText) \(result.stderr)")
    }
}
