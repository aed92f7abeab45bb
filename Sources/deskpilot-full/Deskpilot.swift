import ArgumentParser
import DeskCLI
import DeskCore
import DeskRuntime

/// The full command tree, installed as `/usr/lib/deskpilot/deskpilot-full`: the light `deskpilot` runs `act`,
/// `screenshot`, `info`, `windows` and `--version` itself and execs this for everything else (help, man pages
/// and completions too), so only these commands load networking, the daemon, MCP, AT-SPI and OCR.
/// Subcommands are small structs in Commands/ (the light ones in DeskCLI).
@main
struct Deskpilot: AsyncParsableCommand {
    static let version = DeskpilotVersion.current

    static let configuration = CommandConfiguration(
        commandName: "deskpilot",
        abstract: "Drive a Linux X11 desktop: capture, input, and a vision-language-model agent inside safety policies.",
        version: version,
        subcommands: [Info.self, Windows.self, Screenshot.self, Act.self, Locate.self, Tree.self, Run.self, Agent.self, Eval.self, Record.self,
                      Replay.self, Trace.self, Serve.self, Submit.self, Status.self, Stop.self, Confirm.self,
                      Reply.self, Pause.self, Resume.self, MCPCommand.self, Bench.self, DoctorCommand.self])

    static func main() async { await CommandLineMain.parseAndRun(Deskpilot.self) }
}
