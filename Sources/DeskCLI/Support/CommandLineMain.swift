import ArgumentParser
import DeskCore
import DeskRuntime
import Foundation

/// How both executables (the light `deskpilot` and `deskpilot-full`) run a command and end the process: every
/// error becomes one line on stderr and the exit status of the CLI contract, and the cleanup registered by the
/// command runs on every exit path.
public enum CommandLineMain {
    /// Runs an already parsed, synchronous `command` of `root`'s tree (the light front has no async command) and
    /// exits with its status.
    public static func run(_ command: any ParsableCommand, root: any ParsableCommand.Type) -> Never {
        Cleanup.shared.installSignalHandlers()
        var status: Int32 = 0
        do {
            guard !(command is any AsyncParsableCommand) else {
                throw EnvironmentError("\(type(of: command)) is an async command; it needs the async main (deskpilot-full)")
            }
            var command = command
            try command.run()
        } catch {
            status = self.status(for: error, root: root)
        }
        Cleanup.shared.exitProcess(status)
    }

    /// Parses `arguments` (default: the process's) as `root`'s command line, runs the command, awaiting it when
    /// it is an `AsyncParsableCommand`, and exits.
    public static func parseAndRun(_ root: any ParsableCommand.Type, arguments: [String]? = nil) async -> Never {
        Cleanup.shared.installSignalHandlers()
        let command: any ParsableCommand
        do {
            command = try root.parseAsRoot(arguments)
        } catch {
            Cleanup.shared.exitProcess(status(for: error, root: root))
        }
        var status: Int32 = 0
        do {
            if let asynchronous = command as? any AsyncParsableCommand {
                // The command blocks on Xlib, child processes and settle times: on a thread of its own, so
                // the cooperative pool stays free for what it serves (the daemon's socket, MCP, watchers).
                let executor = DedicatedThreadExecutor(name: "deskpilot-command", threads: 2)
                defer { executor.close() }
                try await withTaskExecutorPreference(executor) {
                    var command = asynchronous
                    try await command.run()
                }
            } else {
                var command = command
                try command.run()
            }
        } catch {
            status = self.status(for: error, root: root)
        }
        Cleanup.shared.exitProcess(status)
    }

    /// Prints what `error` says (stdout for help and version, stderr otherwise) and returns the exit status.
    static func status(for error: any Error, root: any ParsableCommand.Type) -> Int32 {
        if let error = error as? any DeskError {
            printError("deskpilot: \(error.description)")
            return error.exitStatus.rawValue
        }
        if let error = error as? ExitCode { return error.rawValue }
        let code = root.exitCode(for: error)
        let message = root.fullMessage(for: error)
        if code == .success {
            print(message)
            return 0
        }
        if !message.isEmpty { printError(message) }
        // ArgumentParser says 64 for usage errors; the CLI contract says 2.
        return code == .validationFailure ? ExitStatus.usage.rawValue : code.rawValue
    }
}
