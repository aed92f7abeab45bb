import ArgumentParser
import DeskAgent
import DeskCLI
import DeskCore
import DeskDaemon
import DeskRuntime
import Foundation

/// `deskpilot status [ID]`: the daemon's jobs.
struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the daemon's jobs, or one job.",
        discussion: "Exit 3 when no daemon is running; 2 for an unknown job id.")

    @Argument(help: "A job id (default: every job the daemon remembers).")
    var id: String?

    @Flag(name: .long, help: "Print each job as one JSON object per line (JSON Lines).")
    var json = false

    @OptionGroup var socket: SocketOption

    func run() throws {
        let client = socket.client
        if let id {
            let job = try client.call("GET", "/jobs/\(id)", as: JobSnapshot.self)
            if json { try JSONOutput.print(job) } else { print(job.line) }
            return
        }
        let list = try client.call("GET", "/jobs", as: JobList.self)
        if json {
            try JSONOutput.printLines(list.jobs)
            return
        }
        if list.jobs.isEmpty {
            print("no jobs (daemon at \(client.socketPath))")
        }
        for job in list.jobs { print(job.line) }
    }
}
