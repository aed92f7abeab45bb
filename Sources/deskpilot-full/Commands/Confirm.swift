import ArgumentParser
import DeskCLI
import DeskCore
import DeskDaemon
import Foundation

/// `deskpilot confirm ID yes|no`: answer a job's policy confirmation.
struct Confirm: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Answer a daemon job that waits for a policy confirmation (state awaiting_confirmation).",
        discussion: "Exit 2 when the job waits for no confirmation; 3 when no daemon is running.")

    @Argument(help: "The job id.")
    var id: String

    @Argument(help: "yes or no.")
    var answer: String

    @OptionGroup var socket: SocketOption

    func validate() throws {
        if Self.parse(answer) == nil { throw ValidationError("the answer must be yes or no (got '\(answer)')") }
    }

    static func parse(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "yes", "y", "approve", "true": return true
        case "no", "n", "deny", "false": return false
        default: return nil
        }
    }

    func run() throws {
        let job = try socket.client.call("POST", "/jobs/\(id)/confirm", json: ["approve": Self.parse(answer) ?? false],
                                         as: JobSnapshot.self)
        print(job.line)
    }
}
