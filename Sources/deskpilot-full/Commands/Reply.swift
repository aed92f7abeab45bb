import ArgumentParser
import DeskCLI
import DeskCore
import DeskDaemon
import Foundation

/// `deskpilot reply ID TEXT`: answer a model's call_user.
struct Reply: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Answer a daemon job whose model asked for a person (state awaiting_user).",
        discussion: "Exit 2 when the job waits for no reply; 3 when no daemon is running.")

    @Argument(help: "The job id.")
    var id: String

    @Argument(parsing: .remaining, help: "The answer (the words are joined with spaces).")
    var text: [String]

    @OptionGroup var socket: SocketOption

    func validate() throws {
        if text.joined(separator: " ").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ValidationError("the reply must not be empty")
        }
    }

    func run() throws {
        let job = try socket.client.call("POST", "/jobs/\(id)/reply", json: ["text": text.joined(separator: " ")],
                                         as: JobSnapshot.self)
        print(job.line)
    }
}
