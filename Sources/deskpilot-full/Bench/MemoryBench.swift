import DeskCore
import DeskX11
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Peak resident memory of deskpilot's commands and of the idle daemon, next to the Python peers'.
enum MemoryBench {
    /// Runs `argv` to its end under GNU time and returns its peak RSS in KiB. (Not wait4 on a child of this
    /// process: posix_spawn's vfork child shares this process's memory until exec, and Linux keeps that
    /// high-water mark in the child's maxrss; GNU time's child is a real fork of a small process.)
    static func peakRSS(_ argv: [String], environment: [String: String], stdin: String = "/dev/null") throws -> Int {
        let out = NSTemporaryDirectory() + "deskpilot-bench-rss-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: out) }
        _ = try spawnAndWait(["/usr/bin/time", "-f", "%M", "-o", out] + argv, environment: environment, stdin: stdin)
        guard let text = try? String(contentsOfFile: out, encoding: .utf8),
              let kib = Int(text.split(separator: "\n").last?.trimmingCharacters(in: .whitespaces) ?? "") else {
            throw EnvironmentError("GNU time (Debian package time) did not report the peak RSS of \(argv[0])")
        }
        return kib
    }

    private static func spawnAndWait(_ argv: [String], environment: [String: String], stdin: String) throws -> Int32 {
        var pid: pid_t = 0
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var cArgs = argv.map { strdup($0) } + [nil]
        var cEnv = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { cArgs.forEach { free($0) }; cEnv.forEach { free($0) } }
        guard posix_spawn(&pid, argv[0], &actions, nil, &cArgs, &cEnv) == 0 else {
            throw EnvironmentError("cannot start \(argv[0])")
        }
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        return status
    }

    /// RSS in KiB of a running process, from /proc.
    static func currentRSS(_ pid: Int32) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return Int(line.split(separator: " ").dropFirst().first { !$0.isEmpty } ?? "")
        }
        return nil
    }

    /// Starts `deskpilot mcp`, initializes it, reads its RSS, calls `locate`, reads it again.
    static func mcpRSS(bin: String, environment: [String: String]) throws -> (Int?, Int?) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: bin)
        p.arguments = ["mcp"]
        p.environment = environment
        let input = Pipe(), output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        p.standardError = FileHandle.nullDevice
        try p.run()
        defer { try? input.fileHandleForWriting.close(); p.waitUntilExit() }
        var buffer = Data()
        func send(_ line: String) { input.fileHandleForWriting.write(Data((line + "\n").utf8)) }
        func awaitID(_ id: Int) {
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline {
                if String(decoding: buffer, as: UTF8.self).contains("\"id\":\(id)") { return }
                let chunk = output.fileHandleForReading.availableData
                if chunk.isEmpty { return }
                buffer += chunk
            }
        }
        send(#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}"#)
        awaitID(1)
        send(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#)
        Thread.sleep(forTimeInterval: 1)
        let idle = currentRSS(p.processIdentifier)
        send(#"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"locate","arguments":{"text":"OK"}}}"#)
        awaitID(2)
        return (idle, currentRSS(p.processIdentifier))
    }

    static func run(desktop: BenchDesktop, binDirectory: String, peers: PeerProcess?, tmp: String) throws -> BenchTable {
        let env = desktop.session.environment()
        let bin = "\(binDirectory)/deskpilot"
        var rows: [BenchRow] = []
        func row(_ name: String, _ kib: Int?, deskpilot: Bool = false, note: String = "") {
            // Reported in MiB through the "median" column; one sample each.
            let samples = kib.map { [Double($0) / 1024] } ?? []
            rows.append(BenchRow(name: name, isDeskpilot: deskpilot, stats: BenchStats(samples: samples), correctness: note,
                                 error: kib == nil ? "not measured" : nil))
        }
        // The idle daemon first: it is the baseline of the ratios.
        let socket = "\(tmp)/bench-daemon.sock"
        let serve = try ChildProcess.spawn([bin, "serve", "--display", desktop.session.displayName, "--socket", socket],
                                           environment: env, dieWithParent: false)
        Thread.sleep(forTimeInterval: 2.0)
        row("deskpilot serve, idle (OCR not loaded)", currentRSS(serve.pid), deskpilot: true)
        serve.terminate()

        row("deskpilot screenshot -o file", try? peakRSS([bin, "screenshot", "-o", "\(tmp)/mem.png"], environment: env))
        row("deskpilot act click", try? peakRSS([bin, "act", "click", "5", "5"], environment: env))
        row("deskpilot act type (mixed Unicode)", try? peakRSS([bin, "act", "type", InputBench.text], environment: env))
        row("deskpilot locate (loads OCR)", try? peakRSS([bin, "locate", "OK"], environment: env), note: "Tesseract models loaded")

        // MCP server, a long-lived process like the daemon: idle after initialize, then after a locate call
        // (OCR loads on first use).
        let (idle, afterOCR) = (try? mcpRSS(bin: bin, environment: env)) ?? (nil, nil)
        row("deskpilot mcp, idle after initialize", idle)
        row("deskpilot mcp, after its first locate call", afterOCR, note: "Tesseract models loaded")

        if let peers {
            let grab = "import mss; s = (getattr(mss, 'MSS', None) or mss.mss)(); g = s.grab(s.monitors[0]); b = g.raw"
            row("python-mss process holding one 1080p frame", try? peakRSS([peers.python, "-c", grab], environment: env))
            row("pyautogui process (imported)", try? peakRSS([peers.python, "-c", "import pyautogui"], environment: env))
        }
        return BenchTable(
            title: "Memory: resident set",
            note: "Peak RSS of each command run to its end (GNU time), the daemon's and the MCP server's current RSS (VmRSS), and the Python peers' peak RSS (GNU time). The 'median' column holds the one measurement in MiB; ratio is the row over the idle daemon. Target: the idle daemon no larger than a python-mss process holding one 1080p frame.",
            rows: rows, unit: "MiB")
    }
}
