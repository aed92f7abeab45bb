import DeskCore
import DeskTesting
import Foundation
import Testing
import DeskTestSupport

/// Red team for issue 15, item 1, inside a run: a key the model holds (`press`) is judged again when the
/// pointer moves, and let go before the pointer reaches a refused window (without a window manager the
/// keyboard follows the pointer), so that window gets neither the key nor its release.
@Suite("Red team: held keys in a run", .serialized, .ownThread)
struct RedTeamHeldKeyTests {
    @Test func aHeldKeyIsLetGoBeforeThePointerEntersARefusedWindow() async throws {
        let dir = try RedTeam.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (xvfb, window) = try RedTeamTests.display(dir)
        // The default policy refuses every action on an authentication prompt.
        let prompt = try RedTeam.Window(display: xvfb.display, log: dir + "/pinentry.log", geometry: "300x200+900+500",
                                        className: "pinentry", title: "Enter passphrase")
        defer { prompt.stop(); window.stop(); xvfb.stop() }
        let dialect = "seed"
        let (px, py) = RedTeam.point(Point(x: 1050, y: 600), dialect)
        let answers = [RedTeam.answer([RedTeam.click(RedTeamTests.field, dialect)], dialect),
                       RedTeam.answer(["press(key='a')", "mouse_move(point='<point>\(px) \(py)</point>')"], dialect),
                       RedTeam.finished(dialect)]
        let run = try await RedTeam.run(display: xvfb.display, dialect: dialect, answers: answers, dir: dir)

        #expect(run.result.status == 0, "stdout: \(run.result.stdout)\nstderr: \(run.result.stderr)")
        #expect(run.result.stdout.contains("released a before"), "stdout: \(run.result.stdout)")
        // The run is over: once both windows logged a mark, nothing it sent is still on its way.
        try prompt.barrier()
        try window.barrier()
        #expect(prompt.events("key_press").isEmpty && prompt.events("key_release").isEmpty, "\(prompt.events)")
        #expect(window.events("key_release").contains { $0.string("name") == "a" }, "\(window.events)")
    }
}
