import ArgumentParser
import DeskCLI
import DeskCore
import DeskRuntime
import Foundation

/// `deskpilot`, the light front: it runs `act`, `screenshot`, `info`, `windows` and `--version` itself, linking
/// only Xlib, libpng and zlib, and execs the full executable (``InstallLayout/fullExecutable(front:environment:exists:)``)
/// for every other command line — other commands, help, usage errors, man pages and completions — so the CLI
/// is the same while a start no longer loads networking (libcurl), the daemon, MCP and AT-SPI.
@main
struct Front: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deskpilot", version: DeskpilotVersion.current,
        subcommands: [Info.self, Windows.self, Screenshot.self, Act.self])

    /// The subcommands' names, written out: reading them from the types (`_commandName`) costs a sixth of an
    /// `act move`'s own time. Debug builds (the tests) check the list against the types.
    static let lightCommands: Set<String> = ["info", "windows", "screenshot", "act"]

    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments == ["--version"] {
            print(DeskpilotVersion.current)
            Foundation.exit(0)
        }
        // Anything the light tree does not parse into a command (help requested, a usage error) goes to the full
        // executable too, which says it in the words of the whole tree.
        assert(Set(configuration.subcommands.map { $0._commandName }) == lightCommands, "lightCommands is out of date")
        if let first = arguments.first, lightCommands.contains(first), let command = try? parseAsRoot(arguments),
           !(command is Front) {
            CommandLineMain.run(command, root: Front.self)
        }
        execFull(arguments)
    }

    /// Replaces this process with the full executable (same pid, so signals and exit statuses reach the caller
    /// unchanged), its own path as argv[0].
    static func execFull(_ arguments: [String]) -> Never {
        let front = InstallLayout.runningExecutable()
        let full = InstallLayout.fullExecutable(front: front, environment: ProcessInfo.processInfo.environment) {
            FileManager.default.fileExists(atPath: $0)
        }
        let argv = ([full] + arguments).map { strdup($0) } + [nil]
        execv(full, argv)
        let reason = String(cString: strerror(errno))
        printError("deskpilot: cannot start \(full) (\(reason)): it runs every command but act, screenshot, info and "
                   + "windows; reinstall deskpilot, or set \(InstallLayout.fullExecutableVariable) to its path")
        Foundation.exit(ExitStatus.environment.rawValue)
    }
}
