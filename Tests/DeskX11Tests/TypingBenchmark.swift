import DeskCore
@testable import DeskX11
import Foundation
import Testing
import DeskTestSupport

/// The typing benchmark of issue 3: one mixed string typed 20 times into the fixture by deskpilot and by
/// `xdotool type` (default 12 ms delay and --delay 0), median wall time and exactness, printed side by side.
/// Runs only with DESKPILOT_BENCH=1 and xdotool installed; the numbers go to docs, the test only asserts
/// deskpilot's exactness.
@Suite("Typing benchmark", .enabled(if: ProcessInfo.processInfo.environment["DESKPILOT_BENCH"] == "1"), .ownThread)
struct TypingBenchmark {
    static let text = "café naïve Straße €100 привет 日本語 😀🚀 <tag> ~/path|pipe"
    static let runs = 20

    struct Result {
        var name: String
        var times: [Double] = []
        var exact = 0
        var median: Double { times.sorted()[times.count / 2] }
    }

    @Test func typingBenchmark() throws {
        let bed = try InputTestBed(layout: "us")
        var results: [Result] = []
        var ours = Result(name: "deskpilot (in process)")
        for _ in 0..<Self.runs {
            var elapsed = 0.0
            let got = try bed.read {
                let start = Pause.now()
                try bed.injector.type(Self.text)
                elapsed = Pause.now() - start
            }
            ours.times.append(elapsed)
            if got == Self.text { ours.exact += 1 }
        }
        results.append(ours)
        if let xdotool = XvfbSession.findExecutable("xdotool") {
            for delay in [nil, "0"] as [String?] {
                var r = Result(name: "xdotool type" + (delay.map { " --delay \($0)" } ?? " (default 12 ms)"))
                for _ in 0..<Self.runs {
                    var elapsed = 0.0
                    let got = try bed.read {
                        let start = Pause.now()
                        var argv = [xdotool, "type"]
                        if let delay { argv += ["--delay", delay] }
                        argv += ["--", Self.text]
                        var env = ProcessInfo.processInfo.environment
                        env["DISPLAY"] = bed.session.displayName
                        env["LC_ALL"] = "C.UTF-8"
                        let child = try ChildProcess.spawn(argv, environment: env)
                        _ = child.wait(timeout: 30)
                        elapsed = Pause.now() - start
                        // xdotool has exited: once the fixture logged a mark, it handled every key it sent.
                        try bed.fixture.barrier()
                    }
                    r.times.append(elapsed)
                    if got == Self.text { r.exact += 1 }
                }
                results.append(r)
            }
        }
        let base = results[0].median
        for r in results {
            print(String(format: "%-34@ median %7.1f ms  exact %2d/%d  (%.1fx deskpilot's time)", r.name as NSString,
                         r.median * 1000, r.exact, Self.runs, r.median / base))
        }
        #expect(ours.exact == Self.runs)
        #expect(try bed.leftovers() == [])
    }
}
