import DeskCore
import Foundation
import Testing

@Suite("Trace redaction")
struct TraceRedactionTests {
    private let redact: (String) -> String = { $0.replacingOccurrences(of: TraceFixtures.secret, with: "[redacted]") }

    @Test func secretIsGoneFromEveryEvent() throws {
        let events = [TraceFixtures.runStart(goal: "use \(TraceFixtures.secret)")] + TraceFixtures.fullRun
            + [.check(CheckEvent(name: "c", passed: false, detail: "saw \(TraceFixtures.secret)")),
               .runEnd(RunEndEvent(time: Date(), status: .failed, reason: "typed \(TraceFixtures.secret)", steps: 2,
                                   durationS: 1)),
               .other(type: "log", fields: .object(["message": .string("x \(TraceFixtures.secret)")]))]
        let before = try TraceFixtures.jsonl(events)
        #expect(before.contains(TraceFixtures.secret), "the fixture must carry the secret for the test to mean anything")
        let after = try TraceFixtures.jsonl(events.map { $0.redacted(with: redact) })
        #expect(!after.contains(TraceFixtures.secret))
        #expect(after.contains("[redacted]"))
    }

    @Test func eachTextFieldOfAStepIsRedacted() throws {
        let event = TraceFixtures.step(2, actions: [TraceFixtures.typeSecret], answer: "a \(TraceFixtures.secret)",
                                       thought: "t \(TraceFixtures.secret)").redacted(with: redact)
        guard case .step(let s) = event else {
            Issue.record("not a step")
            return
        }
        #expect(s.answer == "a [redacted]")
        #expect(s.thought == "t [redacted]")
        let a = try #require(s.actions.first)
        #expect(a.action == .type(text: "password: [redacted]\n"))
        #expect(a.decision?.reason == "matched [redacted]")
        #expect(a.error == "refused [redacted]")
        #expect(!a.description.contains(TraceFixtures.secret))
    }

    @Test func pathsAndNumbersAreLeftAlone() {
        let event = TraceFixtures.fullRun[1].redacted(with: { _ in "X" })
        guard case .step(let s) = event else {
            Issue.record("not a step")
            return
        }
        #expect(s.frame == "frames/0001.png")
        #expect(s.actions.first?.action == .click(at: Point(x: 640, y: 360), button: .left, count: 1))
        #expect(s.timings.modelMs == 800)
    }
}
