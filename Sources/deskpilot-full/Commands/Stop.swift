import ArgumentParser
import DeskAgent
import DeskCLI
import DeskCore
import DeskDaemon
import Foundation

/// `deskpilot stop [ID]`: stop a daemon job, or every run on this display.
struct Stop: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Stop a daemon job, or every run on the current display (daemon jobs and standalone runs).",
        discussion: """
            With an ID, stops that daemon job. Without one, stops every active job of the daemon and sends \
            SIGTERM to the standalone runs (deskpilot run, agent) registered for $DISPLAY in the run registry \
            ($XDG_RUNTIME_DIR/deskpilot/runs). Stopped runs release their keys and close their traces (exit \
            130). Exit 3 when there is neither a daemon nor a run to stop.
            """)

    @Argument(help: "A daemon job id (default: everything on this display).")
    var id: String?

    @OptionGroup var socket: SocketOption

    func run() throws {
        let client = socket.client
        if let id {
            let job = try client.call("DELETE", "/jobs/\(id)", as: JobSnapshot.self)
            print(job.line)
            return
        }
        var stoppedSomething = false
        var daemonError: DaemonClientError?
        do {
            let list = try client.call("GET", "/jobs?state=active", as: JobList.self)
            for job in list.jobs {
                let stopped = try client.call("DELETE", "/jobs/\(job.id)", as: JobSnapshot.self)
                print(stopped.line)
                stoppedSomething = true
            }
        } catch {
            daemonError = error
        }
        let display = ProcessInfo.processInfo.environment["DISPLAY"]
        for run in RunRegistry.current().list() where run.kind != .daemon && run.pid != getpid() && run.drives(display) {
            guard Self.isDeskpilot(run.pid) else { continue }
            if kill(run.pid, SIGTERM) == 0 {
                print("sent SIGTERM to \(run.kind.rawValue) run \(run.pid)" + (run.display.map { " on \($0)" } ?? "")
                      + ": \(run.summary)")
                stoppedSomething = true
            }
        }
        if let daemonError, !stoppedSomething,
           daemonError.kind == .noDaemon || daemonError.kind == .notAnswering {
            throw EnvironmentError("\(daemonError.description); no standalone run is registered either")
        }
        if let daemonError, daemonError.kind != .noDaemon, daemonError.kind != .notAnswering { throw daemonError }
        if !stoppedSomething { print("nothing to stop") }
    }

    /// True when `pid` is still a deskpilot process (a pid reused by another program is left alone).
    static func isDeskpilot(_ pid: Int32) -> Bool {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
        let argv0 = data.split(separator: 0).first.map { String(decoding: $0, as: UTF8.self) } ?? ""
        return (argv0 as NSString).lastPathComponent.hasPrefix("deskpilot")
    }
}
