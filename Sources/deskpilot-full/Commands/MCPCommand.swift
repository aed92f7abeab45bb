import ArgumentParser
import DeskCLI
import DeskConfig
import DeskCore
import DeskDaemon
import DeskRuntime
import DeskRuntimeDaemon
import Foundation

/// `deskpilot mcp`: the desktop as Model Context Protocol tools on stdio.
struct MCPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve the desktop as Model Context Protocol tools on stdin/stdout.",
        discussion: """
            Tools: screenshot, info, windows, tree (the accessibility tree), locate (the tree, then OCR), the \
            HTTP API's actions (click, double_click, triple_click, right_click, middle_click, move, drag, \
            scroll, key, type, press, release) and run_task \
            (a task file, inline task YAML, or a goal for a model or the offline local dialect; a progress \
            notification per step, and cancelling the request stops the job). Every tool has annotations; \
            those that return data have an output schema and answer structuredContent. Every action goes \
            through the policy engine; over MCP nobody can confirm, so a confirmation rule is a denial (its \
            reason is in the tool result). run_task traces go where serve keeps them unless --trace-dir or \
            --no-trace says otherwise. stdout carries only JSON-RPC; logs go to stderr. Ends when stdin closes.

            Example client configuration: {"command": "deskpilot", "args": ["mcp", "--headless"]}.
            """)

    @OptionGroup var displayOptions: DisplayOptions

    @Option(name: .long, help: "Policy file, or default, strict, permissive (default: default).")
    var policy: String = "default"

    @Option(name: .long, help: "Parent folder of run_task trace folders (default: $XDG_STATE_HOME/deskpilot/traces, else ~/.local/state/deskpilot/traces, as serve).")
    var traceDir: String?

    @Flag(name: .long, help: "Keep no trace of run_task jobs.")
    var noTrace = false

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let loaded = try PolicyLoader.load(nameOrPath: policy)
        let display: X11DaemonDisplay
        if displayOptions.headless {
            display = try X11DaemonDisplay(headless: displayOptions.headlessScreen,
                                           desktop: displayOptions.desktopChoice ?? .bare)
        } else {
            display = try X11DaemonDisplay(name: displayOptions.display)
        }
        Cleanup.shared.register { display.shutdown() }
        let settings = DaemonSettings(policyName: policy, policy: loaded,
                                      traceDir: noTrace ? nil : URL(fileURLWithPath: traceDir ?? Serve.defaultTraceDir(environment)).standardizedFileURL.path,
                                      version: Deskpilot.version, headless: displayOptions.headless,
                                      environment: environment, localPlanning: LocalDialectPlanning())
        let server = MCPToolServer(display: display, settings: settings, locator: GroundedTextLocating())
        do {
            try await server.runStdio()
        } catch {
            display.shutdown()
            throw EnvironmentError("the MCP server failed: \(error)")
        }
        display.shutdown()
    }
}
