import ArgumentParser
import DeskAgent
import DeskCLI
import DeskCore
import DeskRuntime
import Foundation

/// `deskpilot trace`: read a run folder written with `--trace-dir`.
struct Trace: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show or export a run's trace (a folder <trace-dir>/<run-id>/).",
        subcommands: [Show.self, Export.self])

    /// `deskpilot trace show RUN_DIR [--json]`.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Summarize a run: goal, model, status (or interrupted), steps, actions, decisions, timings.")

        @Argument(help: "The run folder (<trace-dir>/<run-id>) or its trace.jsonl.")
        var runDir: String

        @Flag(name: .long, help: "Print the summary as one JSON object on one line.")
        var json = false

        func run() throws {
            let summary = try TraceReader.summary(runDir)
            if json {
                try JSONOutput.print(summary)
            } else {
                print(summary.renderText())
            }
        }
    }

    /// `deskpilot trace export RUN_DIR --format osworld -o DIR`.
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export a run in another tool's layout (osworld: traj.jsonl, step_N_<timestamp>.png, result.txt).")

        /// The layouts a trace can be exported to.
        enum Format: String, ExpressibleByArgument, CaseIterable {
            case osworld
        }

        @Argument(help: "The run folder (<trace-dir>/<run-id>) or its trace.jsonl.")
        var runDir: String

        @Option(name: .long, help: "The layout to write: osworld (the default).")
        var format: Format = .osworld

        @Option(name: .shortAndLong, help: "The folder to write into (created; must not already hold traj.jsonl).")
        var output: String

        func run() throws {
            switch format {
            case .osworld:
                let result = try OSWorldExporter.export(runPath: runDir, to: output)
                print("wrote \(result.trajectory.path): \(result.lines) actions, \(result.screenshots) screenshots, score \(result.score) in result.txt")
            }
        }
    }
}
