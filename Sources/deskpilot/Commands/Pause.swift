import ArgumentParser
import DeskCore
import DeskDaemon
import Foundation

/// `deskpilot pause [ID]`: hold a daemon job where it is until `deskpilot resume`.
struct Pause: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Pause a daemon job (default: every running job); `deskpilot resume` lets it go on.",
        discussion: """
            A paused job holds before its next action, inside a wait (whose time stands still) and between the \
            pieces of a long type; held keys are released. Exit 2 when the job has ended (or, without ID, when \
            none is running); 3 when no daemon is running.
            """)

    @Argument(help: "The job id (default: every running job).")
    var id: String?

    @OptionGroup var socket: SocketOption

    func run() throws {
        let client = socket.client
        var ids: [String] = []
        if let id {
            ids = [id]
        } else {
            ids = try client.call("GET", "/jobs?state=running", as: JobList.self).jobs.map(\.id)
            if ids.isEmpty { throw InputError("no job is running") }
        }
        for id in ids {
            print(try client.call("POST", "/jobs/\(id)/pause", json: [:], as: JobSnapshot.self).line)
        }
    }
}
