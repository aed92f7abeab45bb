import ArgumentParser
import DeskCLI
import DeskCore
import DeskRuntime
import DeskX11
import Foundation

/// `deskpilot bench`: the side-by-side benchmarks of docs/benchmarks.md (run through scripts/bench.sh, which
/// installs the peers first).
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure deskpilot against python-mss, xdotool, pyautogui, scrot… and write docs/benchmarks.md.",
        discussion: "Use scripts/bench.sh, which installs the peers in a private virtual environment and calls this.")

    @Option(name: .long, help: "Comma-separated sections: capture, capture4k, input, agent, grounding, a11y, memory (default: all).")
    var sections: String = "capture,capture4k,input,agent,grounding,a11y,memory"

    @Option(name: .long, help: "Rounds of alternation.")
    var rounds: Int = 10

    @Option(name: .long, help: "Iterations per contender per round.")
    var batch: Int = 5

    @Option(name: .long, help: "Markdown report path (an SVG chart is written next to it).")
    var out: String = "docs/benchmarks.md"

    @Option(name: .long, help: "Python interpreter with the peers installed (mss, pyautogui, pynput, pillow…).")
    var python: String = ".bench-venv/bin/python"

    @Option(name: .long, help: "The peers script.")
    var peersScript: String = "scripts/bench/peers.py"

    func validate() throws {
        if rounds < 1 || batch < 1 { throw ValidationError("--rounds and --batch must be at least 1") }
    }

    func run() throws {
        let wanted = Set(sections.split(separator: ",").map { String($0) })
        let tmp = NSTemporaryDirectory() + "deskpilot-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: tmp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        let helpers = InstallLayout.current.helperDirectory
        let fixture = helpers + "/deskpilot-fixture"
        let fixturePath = FileManager.default.isExecutableFile(atPath: fixture) ? fixture : nil
        var tables: [BenchTable] = []
        var notes: [String] = []
        let log: (String) -> Void = { FileHandle.standardError.write(Data("\($0)\n".utf8)) }

        for (section, screen) in [("capture", Size(width: 1920, height: 1080)), ("capture4k", Size(width: 3840, height: 2160))]
        where wanted.contains(section) {
            do {
                log("bench: \(section) on a \(screen) desktop…")
                let desktop = try BenchDesktop(screen: screen, fixturePath: fixturePath, log: log)
                defer { desktop.stop() }
                let peers = startPeers(env: desktop.session.environment(), notes: &notes)
                defer { peers?.stop() }
                if let peers, let v = try? peers.call(["op": "versions"]) {
                    notes.append("peers (\(section)): " + v.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
                }
                tables += try CaptureBench.run(desktop: desktop, peers: peers, rounds: rounds, batch: batch, tmp: tmp)
            } catch {
                notes.append("section \(section) not measured: \(error)")
                log("bench: section \(section) failed: \(error)")
            }
        }
        if wanted.contains("input") {
            do {
                log("bench: input on a 1920x1080 desktop…")
                let desktop = try BenchDesktop(screen: Size(width: 1920, height: 1080), fixturePath: fixturePath, log: log)
                defer { desktop.stop() }
                guard let fixtureLog = desktop.fixtureLog, let window = desktop.fixtureWindow else {
                    throw EnvironmentError("the input benchmark needs deskpilot-fixture in \(helpers) (set \(InstallLayout.helperVariable) to its folder)")
                }
                let peers = startPeers(env: desktop.session.environment(), notes: &notes)
                defer { peers?.stop() }
                tables += try InputBench.run(desktop: desktop, fixtureLog: fixtureLog, fixtureWindow: window, peers: peers,
                                             rounds: rounds, batch: max(1, batch / 2))
                tables.append(try TemplateBench.run(desktop: desktop, peers: peers, rounds: rounds, batch: batch, tmp: tmp))
            } catch {
                notes.append("section input not measured: \(error)")
                log("bench: section input failed: \(error)")
            }
        }
        if wanted.contains("agent") {
            do {
                log("bench: agent step overhead on a 1920x1080 desktop…")
                let desktop = try BenchDesktop(screen: Size(width: 1920, height: 1080), fixturePath: fixturePath, log: log)
                defer { desktop.stop() }
                let bin = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().path
                tables.append(try AgentStepBench.run(desktop: desktop, binDirectory: bin, steps: max(50, rounds * batch), tmp: tmp))
            } catch {
                notes.append("section agent not measured: \(error)")
                log("bench: section agent failed: \(error)")
            }
        }
        if wanted.contains("grounding") {
            do {
                log("bench: text and image grounding on labelled screens…")
                tables += try GroundingBench.run(helperDirectory: helpers, rounds: rounds, tmp: tmp, log: log)
            } catch {
                notes.append("section grounding not measured: \(error)")
                log("bench: section grounding failed: \(error)")
            }
        }
        if wanted.contains("a11y") {
            do {
                log("bench: accessibility tree walk on a real desktop…")
                let bin = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().path
                tables += try A11yBench.run(binDirectory: bin, rounds: rounds, batch: batch, tmp: tmp, log: log)
            } catch {
                notes.append("section a11y not measured: \(error)")
                log("bench: section a11y failed: \(error)")
            }
        }
        if wanted.contains("memory") {
            do {
                log("bench: memory…")
                let desktop = try BenchDesktop(screen: Size(width: 1920, height: 1080), fixturePath: fixturePath, log: log)
                defer { desktop.stop() }
                let peers = startPeers(env: desktop.session.environment(), notes: &notes)
                defer { peers?.stop() }
                let bin = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().path
                tables.append(try MemoryBench.run(desktop: desktop, binDirectory: bin, peers: peers, tmp: tmp))
            } catch {
                notes.append("section memory not measured: \(error)")
                log("bench: section memory failed: \(error)")
            }
        }
        let command = "deskpilot bench " + CommandLine.arguments.dropFirst(2).joined(separator: " ")
        let md = BenchReport.markdown(tables: tables, command: command.trimmingCharacters(in: .whitespaces), extra: notes)
        try md.write(toFile: out, atomically: true, encoding: .utf8)
        let svgPath = URL(fileURLWithPath: out).deletingLastPathComponent().appendingPathComponent("benchmarks.svg").path
        try BenchReport.svg(tables: tables).write(toFile: svgPath, atomically: true, encoding: .utf8)
        print(md)
    }

    private func startPeers(env: [String: String], notes: inout [String]) -> PeerProcess? {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            notes.append("Python peers not measured: \(python) not found (run scripts/bench.sh)")
            return nil
        }
        do {
            return try PeerProcess(python: python, script: peersScript, environment: env)
        } catch {
            notes.append("Python peers not measured: \(error)")
            return nil
        }
    }
}
