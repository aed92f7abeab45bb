import DeskCore
import DeskX11
import Foundation

/// Typing a mixed Unicode string and the click round trip, deskpilot against xdotool, pyautogui and pynput,
/// each checked against what the fixture app really received.
enum InputBench {
    static let text = "café naïve Straße €100 привет 日本語 😀🚀 <tag> ~/path|pipe ASCII: Hello World"

    static func run(desktop: BenchDesktop, fixtureLog: String, fixtureWindow: UInt, peers: PeerProcess?,
                    rounds: Int, batch: Int) throws -> [BenchTable] {
        let env = desktop.session.environment()
        let injector = try InputInjector(display: desktop.display)
        defer { injector.releaseAll(); injector.restoreKeymap() }
        try injector.focus(fixtureWindow)
        let log = FixtureLog(path: fixtureLog)
        let xdotool = XvfbSession.findExecutable("xdotool")

        /// Runs `typeOnce` `batch` times, each into a cleared field; records its own time and exactness.
        func typing(_ name: String, deskpilot: Bool, _ typeOnce: @escaping () throws -> Double) -> (Contender, () -> String) {
            var exact = 0, total = 0
            var firstWrong: String?
            let contender = Contender(name: name, isDeskpilot: deskpilot, runBatch: {
                var times: [Double] = []
                for _ in 0..<batch {
                    try injector.key("ctrl+shift+Delete")
                    _ = log.settledText(quiet: 0.05)
                    times.append(try typeOnce())
                    total += 1
                    let got = log.settledText()
                    if got == text { exact += 1 } else if firstWrong == nil { firstWrong = got ?? "(nothing)" }
                }
                return times
            })
            return (contender, {
                "\(exact)/\(total) exact" + (firstWrong.map { "; e.g. `\($0.replacingOccurrences(of: "`", with: "'"))`" } ?? "")
            })
        }

        var pairs = [typing("deskpilot type (in process, XTest + XKB)", deskpilot: true) {
            try measureMS { try injector.type(text) }
        }]
        if let xdotool {
            pairs.append(typing("xdotool type (default 12 ms delay)", deskpilot: false) {
                try CommandTimer.time([xdotool, "type", "--", text], environment: env.merging(["LC_ALL": "C.UTF-8"]) { $1 })
            })
            pairs.append(typing("xdotool type --delay 0", deskpilot: false) {
                try CommandTimer.time([xdotool, "type", "--delay", "0", "--", text], environment: env.merging(["LC_ALL": "C.UTF-8"]) { $1 })
            })
        }
        if let peers {
            pairs.append(typing("pyautogui write", deskpilot: false) {
                try peers.times(["op": "pyautogui_write", "n": 1, "text": text])[0]
            })
            pairs.append(typing("pynput type", deskpilot: false) {
                try peers.times(["op": "pynput_type", "n": 1, "text": text])[0]
            })
        }
        let contenders = pairs.map { pair in
            var c = pair.0
            c.correctness = pair.1
            return c
        }
        let typingTable = BenchTable.measure(
            title: "Typing a \(text.count)-character mixed Unicode string",
            note: "`\(text)` typed into the fixture app's text field under the us layout; time of the typing call itself (a process for xdotool); exactness is what the fixture's input method really produced, read from its log after each run.",
            rounds: rounds, contenders: contenders)

        // Click round trip: from the call until the fixture logs the button release.
        // An empty spot inside the fixture window (it sits at a quarter and a third of the screen, on top).
        let screen = desktop.display.screenSize
        let target = Point(x: screen.width / 4 + 100, y: screen.height / 3 + 500)
        func clickContender(_ name: String, deskpilot: Bool, _ click: @escaping () throws -> Void) -> Contender {
            var arrived = 0, total = 0
            var c = Contender(name: name, isDeskpilot: deskpilot, runBatch: {
                var times: [Double] = []
                for _ in 0..<batch {
                    let mark = log.count
                    let t0 = DispatchTime.now().uptimeNanoseconds
                    try click()
                    let ok = log.waitFor("button_release", after: mark, timeout: 2)
                    times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
                    total += 1
                    if ok { arrived += 1 }
                    usleep(450_000)  // more than the double-click time, so clicks stay single
                }
                return times
            })
            c.correctness = { "\(arrived)/\(total) arrived" }
            return c
        }
        let noHold = try InputInjector(display: desktop.display, options: InputOptions(clickHold: 0, moveSettle: 0))
        var clicks = [
            clickContender("deskpilot click, no hold or move settle (the peers' work)", deskpilot: true) {
                try noHold.click(at: target)
            },
            clickContender("deskpilot click, defaults (\(Int(InputOptions().moveSettle * 1000)) ms move settle, \(Int(InputOptions().clickHold * 1000)) ms hold)", deskpilot: false) { try injector.click(at: target) },
        ]
        if let xdotool {
            clicks.append(clickContender("xdotool mousemove + click (process)", deskpilot: false) {
                _ = try CommandTimer.time([xdotool, "mousemove", "\(target.x)", "\(target.y)", "click", "1"], environment: env)
            })
        }
        if let peers {
            clicks.append(clickContender("pyautogui click", deskpilot: false) {
                _ = try peers.call(["op": "pyautogui_click", "n": 1, "x": target.x, "y": target.y])
            })
        }
        let clickTable = BenchTable.measure(
            title: "Click round trip (inject → the fixture app receives the release)",
            note: "Time from the start of the click until the fixture's log shows the button release, read by polling the log every 0.2 ms. By default deskpilot lets the pointer settle briefly after moving and holds the button for a real click (some toolkits miss instant clicks); the baseline row turns both off, doing what the peers do.",
            rounds: rounds, contenders: clicks)
        return [typingTable, clickTable]
    }
}
