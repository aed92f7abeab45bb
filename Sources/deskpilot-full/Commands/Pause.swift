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
        try JobControl.send("pause", to: id, everyJobIn: .running, none: "no job is running", client: socket.client)
    }
}
