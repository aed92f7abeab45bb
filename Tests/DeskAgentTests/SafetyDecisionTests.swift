import DeskCore
import DeskTesting
import Foundation
import Testing
import DeskTestSupport

/// Dry run and confirmation gates end to end (agent loop, scripted model, fixture): what reaches the app,
/// and that the trace records every action's decision — allow, deny, confirmed, denied-by-person, dry-run —
/// with the rule that decided and the reason.
@Suite("Safety decisions", .serialized, .enabled(if: EndToEnd.available, "needs Xvfb and the built deskpilot binaries"), .ownThread)
struct SafetyDecisionTests {
    static let dialect = "ui-tars-1.5"
    static let field = Point(x: 400, y: 240)

    static func script() -> [String] {
        [RedTeam.answer([RedTeam.click(field, dialect)], dialect),
         RedTeam.answer([RedTeam.type("hello", dialect)], dialect),
         RedTeam.answer([RedTeam.hotkey("ctrl alt BackSpace", dialect)], dialect),
         RedTeam.finished(dialect)]
    }

    @Test func aDryRunJudgesAndRecordsEverythingAndInjectsNothing() async throws {
        let dir = try RedTeam.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let xvfb = try EndToEnd.Xvfb(size: RedTeam.screen)
        let window = try RedTeam.Window(display: xvfb.display, log: dir + "/main.log", geometry: "800x600+0+0")
        defer { window.stop(); xvfb.stop() }
        let run = try await RedTeam.run(display: xvfb.display, dialect: Self.dialect, answers: Self.script(), dir: dir,
                                        extra: ["--dry-run"])

        #expect(run.result.status == 0, "stdout: \(run.result.stdout)\nstderr: \(run.result.stderr)")
        #expect(run.requests == 4)
        guard case .runStart(let start)? = run.trace.first else {
            Issue.record("no run_start")
            return
        }
        #expect(start.dryRun)
        // The three desktop actions, then `finished` (never refused, never injected).
        let acted = Array(run.actions.prefix(3))
        #expect(acted.map { $0.decision?.verdict } == [.dryRun, .dryRun, .deny], "\(run.actions.map(\.description))")
        #expect(run.actions.count == 4 && run.actions.last?.description.hasPrefix("finished") == true)
        #expect(acted.allSatisfy { !$0.executed })
        #expect(run.denied.first?.decision?.rule == "keys.deny[0]")
        #expect(acted.allSatisfy { ($0.decision?.reason ?? "").isEmpty == false }, "\(acted.map { $0.decision })")
        try window.barrier()
        #expect(window.events("button_press").isEmpty)
        #expect(window.events("key_press").isEmpty)
    }

    /// The default policy with a confirmation gate on typing.
    static func confirmPolicy(in dir: String) throws -> String {
        try RedTeam.defaultPolicy(in: dir, replacing: [
            ("confirm: []", "confirm:\n  - actions: [type]\n    reason: typing needs a yes"),
        ])
    }

    @Test(arguments: [true, false])
    func confirmationGatesAreRecorded(approved: Bool) async throws {
        let dir = try RedTeam.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let xvfb = try EndToEnd.Xvfb(size: RedTeam.screen)
        let window = try RedTeam.Window(display: xvfb.display, log: dir + "/main.log", geometry: "800x600+0+0")
        defer { window.stop(); xvfb.stop() }
        let policy = try Self.confirmPolicy(in: dir)
        // No terminal: without --yes nobody can answer, which counts as a no.
        let run = try await RedTeam.run(display: xvfb.display, dialect: Self.dialect, answers: Self.script(), dir: dir,
                                        extra: ["--policy", policy] + (approved ? ["--yes"] : []))

        #expect(run.result.status == 0, "stdout: \(run.result.stdout)\nstderr: \(run.result.stderr)")
        let verdicts = run.actions.prefix(3).map { $0.decision?.verdict }
        #expect(verdicts == [.allow, approved ? .confirmed : .deniedByPerson, .deny], "\(run.actions.map(\.description))")
        let typed = try #require(run.actions.dropFirst().first)
        #expect(typed.decision?.rule == "confirm[0]")
        #expect(typed.executed == approved)
        if !approved { #expect(typed.decision?.reason?.contains("--yes") == true) }
        try window.barrier()
        #expect(window.text == (approved ? "hello" : ""))
        #expect(!window.events("button_press").isEmpty)
    }
}
