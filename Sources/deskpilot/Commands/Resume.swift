import ArgumentParser
import DeskCore
import DeskDaemon
import Foundation

/// `deskpilot resume [ID]`: let a paused job go on.
struct Resume: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Resume a paused daemon job (default: every paused job).",
        discussion: "Exit 2 when the job is not paused (or, without ID, when none is); 3 when no daemon is running.")

    @Argument(help: "The job id (default: every paused job).")
    var id: String?

    @OptionGroup var socket: SocketOption

    func run() throws {
        let client = socket.client
        var ids: [String] = []
        if let id {
            ids = [id]
        } else {
            ids = try client.call("GET", "/jobs?state=paused", as: JobList.self).jobs.map(\.id)
            if ids.isEmpty { throw InputError("no job is paused") }
        }
        for id in ids {
            print(try client.call("POST", "/jobs/\(id)/resume", json: [:], as: JobSnapshot.self).line)
        }
    }
}
