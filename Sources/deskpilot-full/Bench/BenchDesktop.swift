import DeskCore
import DeskX11
import Foundation

/// A private Xvfb with realistic content: terminals full of text, a calculator, an editor, a clock, the fixture.
final class BenchDesktop {
    let session: XvfbSession
    let display: X11Display
    private var apps: [ChildProcess] = []
    /// The fixture app's log and window, when it runs.
    private(set) var fixtureLog: String?
    private(set) var fixtureWindow: UInt?

    init(screen: Size, fixturePath: String?, log: (String) -> Void) throws {
        session = try XvfbSession.start(screen: screen)
        display = try X11Display(name: session.displayName)
        let env = session.environment()
        let w = screen.width, h = screen.height
        var commands: [[String]] = [
            ["xterm", "-geometry", "110x45+0+0", "-e", "sh", "-c", "ls -la /usr/bin | head -300; cat /etc/services; sleep 100000"],
            ["xterm", "-geometry", "90x30+\(w / 2)+\(h / 2)", "-bg", "black", "-fg", "green", "-e", "sh", "-c", "dmesg 2>/dev/null | tail -100; ps aux; sleep 100000"],
            ["xcalc", "-geometry", "+\(w - 260)+20"],
            ["xedit", "-geometry", "600x400+\(w / 2)+40", "/etc/services"],
            ["xclock", "-geometry", "180x180+\(w - 220)+\(h - 220)"],
            ["xlogo", "-geometry", "150x150+40+\(h - 200)"],
        ]
        if let fixturePath {
            let logPath = NSTemporaryDirectory() + "deskpilot-bench-fixture-\(getpid())-\(w).jsonl"
            FileManager.default.createFile(atPath: logPath, contents: nil)
            fixtureLog = logPath
            commands.append([fixturePath, "--log", logPath, "--geometry", "800x600+\(w / 4)+\(h / 3)",
                             "--buttons", "OK,Cancel,Save,Open,Settings,Help"])
        }
        for argv in commands {
            guard XvfbSession.findExecutable(argv[0]) != nil || argv[0].hasPrefix("/") else {
                log("bench: \(argv[0]) is not installed; the desktop will have less content")
                continue
            }
            apps.append(try ChildProcess.spawn(argv, environment: env))
        }
        Thread.sleep(forTimeInterval: 2.0)
        if let fixtureLog {
            let log = FixtureLog(path: fixtureLog)
            log.refresh()
            fixtureWindow = (log.events.first { $0["type"] as? String == "ready" }?["window"] as? String)
                .flatMap { WindowInfo.parseID($0) }
        }
    }

    func stop() {
        for app in apps.reversed() { app.terminate(grace: 0.5) }
        session.stop()
        if let fixtureLog { try? FileManager.default.removeItem(atPath: fixtureLog) }
    }
}
