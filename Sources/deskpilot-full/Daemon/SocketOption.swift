import ArgumentParser
import DeskDaemon
import Foundation

/// `--socket PATH` of the client commands, and how they find the daemon without it.
struct SocketOption: ParsableArguments {
    @Option(name: .long, help: "The daemon's socket (default: $DESKPILOT_SOCKET, else the daemon of $DISPLAY in $XDG_RUNTIME_DIR/deskpilot/, else its pool.sock).")
    var socket: String?

    /// The socket to use.
    var path: String { SocketLocation.forClient(explicit: socket, environment: ProcessInfo.processInfo.environment) }

    /// A client for it.
    var client: DaemonClient { DaemonClient(socketPath: path) }
}
