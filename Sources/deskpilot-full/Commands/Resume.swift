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
        try JobControl.send("resume", to: id, everyJobIn: .paused, none: "no job is paused", client: socket.client)
    }
}
