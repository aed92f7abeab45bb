import ArgumentParser
import DeskAgent
import DeskCLI
import DeskCore
import DeskGrounding
import DeskImaging
import DeskRuntime
import DeskRuntimeOCR
import DeskX11
import Foundation

/// `deskpilot record`: watch what a person does and write it as a task file with targets in words.
struct Record: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Record what a person does on the desktop as a task file that replays it.",
        discussion: """
            Watches real input through the X RECORD extension until the stop chord (default \
            ctrl+alt+shift+r) or Ctrl-C, then writes TASK.yaml: each click named by the accessibility \
            element under the pointer (role and name, when the display has an accessibility bus), else the \
            text under the pointer (OCR), else a template image saved beside the task (TASK-NN.png), else a point inside \
            its window; typing as one `type` per run with corrections folded in (text typed into a password \
            field becomes a ${secret:…} reference); chords as `key`. A trace of \
            the demonstration (trace.jsonl, frames, report.html) goes to --trace-dir like a run's.
            """)

    @OptionGroup var displayOptions: DisplayOptions

    @Option(name: .shortAndLong, help: "The task file to write.")
    var output: String

    @Option(name: .long, help: "Parent folder of the demonstration's trace (default ./traces).")
    var traceDir = "traces"

    @Option(name: .long, help: "The key chord that ends the recording (default ctrl+alt+shift+r).")
    var stopKey = "ctrl+alt+shift+r"

    @Option(name: .long, help: "Record only input that goes to this window: an id, class:NAME or title:REGEX.")
    var window: String?

    @Option(name: .long, help: "Text typed into this window is a secret (id, class:NAME or title:REGEX): the task gets ${secret:…}.")
    var secretWindow: String?

    @Option(name: .long, help: "Start this command (sh -c) on the display first, and write it into the task's setup.")
    var launch: [String] = []

    func validate() throws {
        if output.isEmpty { throw ValidationError("-o needs a file name") }
        do { _ = try KeyChord.parse(stopKey) } catch { throw ValidationError("--stop-key: \(error)") }
    }

    func run() throws {
        let stopChord = try KeyChord.parse(stopKey)
        let only = try window.map(WindowSelector.parse)
        let secret = try secretWindow.map(WindowSelector.parse)
        let taskURL = URL(fileURLWithPath: output)
        guard FileManager.default.isWritableFile(atPath: taskURL.deletingLastPathComponent().path) else {
            throw InputError("cannot write \(output): its folder does not exist or is not writable")
        }
        let context = try displayOptions.open()
        let started = Date()
        let launched = try launchPrograms(on: context)
        // The tree names presses by role and name and tells password fields; without a bus the recorder
        // names them by OCR alone.
        let treeWalks = (try? A11yAccess.connect(context)).map { TreeSnapshots(source: $0) }
        treeWalks?.start()
        let recorder = try DemonstrationRecorder(displayName: context.display.name,
                                                 options: .init(stopChord: stopChord, onlyWindow: only, secretWindow: secret))
        // Writing the task after a Ctrl-C runs OCR over the recorded screens: give it time before the
        // signal watchdog forces the exit.
        Cleanup.shared.setWatchdogGrace(60)
        let treeNote = treeWalks == nil ? "no accessibility tree: targets by OCR" : "accessibility tree: targets by role and name"
        FileHandle.standardError.write(Data("deskpilot: recording on \(context.display.name) (\(treeNote)); press \(stopChord.normalized) or Ctrl-C to stop\n".utf8))
        while !StopFlag.shared.isRequested && !recorder.isStopped {
            Thread.sleep(forTimeInterval: 0.05)
        }
        let recording = recorder.stop()
        let walks = treeWalks?.stop() ?? []
        var writer = RecordingWriter(taskURL: taskURL, traceParent: traceDir, started: started,
                                     display: context.display.name, launched: launched)
        writer.walks = walks
        writer.desktop = context.desktop?.choice
        let result = try writer.write(recording)
        print(result.summary)
        for name in result.secretNames {
            FileHandle.standardError.write(Data("deskpilot: the task types ${secret:\(name)}; set DESKPILOT_SECRET_\(name) before running it\n".utf8))
        }
    }

    /// `${env:NAME}` in a launch command, read from `env` (what the task loader will do on replay).
    static func substitute(_ command: String, _ env: [String: String]) -> String {
        var result = command
        while let start = result.range(of: "${env:"), let end = result[start.upperBound...].firstIndex(of: "}") {
            let name = String(result[start.upperBound..<end])
            result.replaceSubrange(start.lowerBound...end, with: env[name] ?? "")
        }
        return result
    }

    /// A private folder for `DESKPILOT_SCRATCH` while recording, as `run` makes one per run: removed at exit
    /// (registered before the programs that use it, so it goes after them), and by the private desktop's
    /// reaper if deskpilot is killed.
    private func scratchFolder(for context: DisplayContext) throws -> String {
        let scratch = try ScratchFolder.create(label: "record")
        Cleanup.shared.register { scratch.remove() }
        context.desktop?.removeWhenEnded(scratch.path)
        return scratch.path
    }

    /// Starts each `--launch` command and waits for the window it opens; returns each command with the
    /// class of that window.
    private func launchPrograms(on context: DisplayContext) throws -> [(command: String, windowClass: String?)] {
        let display = context.display
        // The environment `run` gives a task's programs: the display, deskpilot's own folder on PATH, and
        // on a private desktop its session bus and the toolkits' accessibility switches.
        let launcher = ChildProcessLauncher(displayName: display.name, desktop: context.desktop)
        var result: [(String, String?)] = []
        let scratch = launch.isEmpty ? "" : try scratchFolder(for: context)
        for command in launch {
            let before = Set(display.windows().map(\.id))
            var env = launcher.environment
            env[ScratchFolder.variable] = scratch
            let child = try ChildProcess.spawn(["/bin/sh", "-c", Self.substitute(command, env)], environment: env,
                                               processGroup: launcher.processGroup)
            Cleanup.shared.register { child.terminate() }
            let deadline = Date().addingTimeInterval(20)
            var found: String?
            while Date() < deadline, found == nil {
                found = display.windows().first { !before.contains($0.id) && !$0.className.isEmpty }?.className
                if found == nil { Thread.sleep(forTimeInterval: 0.1) }
            }
            guard let found else {
                throw EnvironmentError("--launch '\(command)' opened no window within 20 s on \(display.name)")
            }
            result.append((command, found))
        }
        return result
    }
}
