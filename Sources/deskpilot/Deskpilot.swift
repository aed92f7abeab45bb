import ArgumentParser
import DeskCore
import DeskRuntime
import Foundation

/// The one user-facing executable. Subcommands are small structs in Commands/.
@main
struct Deskpilot: ParsableCommand {
    static let version = DeskpilotVersion.current

    static let configuration = CommandConfiguration(
        commandName: "deskpilot",
        abstract: "Drive a Linux X11 desktop: capture, input, and a vision-language-model agent inside safety policies.",
        version: version,
        subcommands: [Info.self, Windows.self, Screenshot.self, Act.self, Locate.self, Tree.self, Run.self, Agent.self, Eval.self, Record.self,
                      Replay.self, Trace.self, Serve.self, Submit.self, Status.self, Stop.self, Confirm.self,
                      Reply.self, Pause.self, Resume.self, MCPCommand.self, Bench.self, DoctorCommand.self])

    /// Runs the command and turns every error into one line on stderr and the exit status of the CLI contract.
    static func main() {
        Cleanup.shared.installSignalHandlers()
        let status: Int32
        do {
            var command = try parseAsRoot()
            try command.run()
            status = 0
        } catch let error as any DeskError {
            printError("deskpilot: \(error.description)")
            status = error.exitStatus.rawValue
        } catch let error as ExitCode {
            status = error.rawValue
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                print(message)
                status = 0
            } else {
                if !message.isEmpty { printError(message) }
                // ArgumentParser says 64 for usage errors; the CLI contract says 2.
                status = code == .validationFailure ? ExitStatus.usage.rawValue : code.rawValue
            }
        }
        Cleanup.shared.exitProcess(status)
    }
}
