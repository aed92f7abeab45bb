import DeskA11y
import DeskCore
import DeskRuntime
import DeskRuntimeOCR
import DeskX11
import Foundation

/// The accessibility-tree walk: deskpilot's libatspi walker against python3-pyatspi doing the same walk
/// (role, name, description, states, extents, actions, text, value of every showing node) with Debian's
/// `/usr/bin/python3`, on a GTK3 application of about 400 nodes on a real desktop (openbox, session and
/// accessibility buses) — in process (warm: the unchanged application walked again) and as whole processes
/// (`deskpilot tree --json` against the script run once, start-up included).
enum A11yBench {
    static let python = "/usr/bin/python3"

    static func run(binDirectory: String, rounds: Int, batch: Int, tmp: String, log: (String) -> Void) throws -> [BenchTable] {
        let session = try DesktopSession.start(.openbox, screen: Size(width: 1920, height: 1080))
        defer { session.stop() }
        let env = ChildProcessLauncher(displayName: session.xvfb.displayName, desktop: session).environment
        let fixture = try ChildProcess.spawn([binDirectory + "/deskpilot-gtk-fixture", "--log", tmp + "/gtk-bench.log", "--extra", "360"],
                                             environment: env, processGroup: session.processGroup)
        defer { fixture.terminate(grace: 0.5) }
        let display = try X11Display(name: session.xvfb.displayName)
        let bus = try A11yAccess.connect(display, busAddress: session.accessibilityBusAddress)
        // Wait until the application shows its whole tree.
        var nodes = 0
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            nodes = (try? bus.walk(all: false).nodes.count) ?? 0
            if nodes >= 380 { break }
            Thread.sleep(forTimeInterval: 0.3)
        }
        guard nodes >= 300 else { throw EnvironmentError("the GTK fixture showed only \(nodes) accessible nodes") }
        log("bench: tree walk of \(nodes) nodes")
        let script = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("../../scripts/bench/pyatspi_walk.py").standardized.path
        let peerScript = FileManager.default.fileExists(atPath: script) ? script : "scripts/bench/pyatspi_walk.py"
        let hasPeer = FileManager.default.isExecutableFile(atPath: python)
            && (try? CommandTimer.time([python, "-c", "import pyatspi"], environment: env)) != nil

        var deskpilotNodes = nodes
        var warm = [Contender(name: "deskpilot A11yBus.walk (libatspi, one thread, each call bounded)", isDeskpilot: true, runBatch: {
            try (0..<batch).map { _ in
                try measureMS { deskpilotNodes = try bus.walk(all: false).nodes.count }
            }
        }, correctness: { "\(deskpilotNodes) nodes" })]
        var cold = [Contender(name: "deskpilot tree --json (whole process)", isDeskpilot: true, runBatch: {
            try (0..<batch).map { _ in
                try CommandTimer.time([binDirectory + "/deskpilot", "tree", "--json", "--display", session.xvfb.displayName], environment: env)
            }
        })]
        if hasPeer {
            var peerNodes = 0
            var c = Contender(name: "python3-pyatspi, the same walk (Debian /usr/bin/python3)", isDeskpilot: false, runBatch: {
                let answer = try peerWalk(peerScript, walks: batch + 1, environment: env)
                peerNodes = answer.nodes
                return Array(answer.times.dropFirst())   // the first walk is the process's cold one
            })
            c.correctness = { "\(peerNodes) nodes" }
            warm.append(c)
            cold.append(Contender(name: "python3 pyatspi_walk.py (whole process, one walk)", isDeskpilot: false, runBatch: {
                try (0..<batch).map { _ in try CommandTimer.time([python, peerScript, "1"], environment: env) }
            }))
        }
        return [
            BenchTable.measure(
                title: "Accessibility tree walk, \(nodes) nodes, in process (warm)",
                note: "The GTK3 fixture with 360 extra buttons on openbox with the accessibility bus; every showing node with role, name, description, states, extents, actions, text and value. The same application walked again, unchanged: deskpilot reads the application's AT-SPI cache (GetItems) and then extents, text and values in pipelined batches, keeping action names per object; pyatspi walks call by call with its default cache.",
                rounds: rounds, contenders: warm),
            BenchTable.measure(
                title: "Accessibility tree walk, \(nodes) nodes, whole process (cold)",
                note: "From process start to exit: connect to the bus, walk once, print (deskpilot prints JSON Lines).",
                rounds: rounds, contenders: cold),
        ]
    }

    /// Runs the pyatspi script for `walks` walks in one process.
    static func peerWalk(_ script: String, walks: Int, environment: [String: String]) throws -> (nodes: Int, times: [Double]) {
        let p = Process()
        let out = Pipe()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = [script, String(walks)]
        p.environment = environment
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0,
              let json = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let times = json["times_ms"] as? [Double], let nodes = json["nodes"] as? Int else {
            throw EnvironmentError("\(script) failed (exit \(p.terminationStatus)): \(String(decoding: data, as: UTF8.self))")
        }
        return (nodes, times)
    }
}
