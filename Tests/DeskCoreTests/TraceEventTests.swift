import DeskCore
import Foundation
import Testing

@Suite("Trace events")
struct TraceEventTests {
    private func object(_ event: TraceEvent) throws -> [String: Any] {
        let line = try TraceCoding.line(event)
        #expect(!line.contains("\n"), "one event must be one line")
        return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    @Test func everyEventRoundTrips() throws {
        for event in TraceFixtures.fullRun {
            let line = try TraceCoding.line(event)
            let back = try TraceCoding.event(fromLine: line)
            // Times survive to the millisecond; compare the re-encoded lines.
            let again = try TraceCoding.line(back)
            #expect(again == line)
            #expect(back.type == event.type)
        }
    }

    @Test func linesStartWithTheType() throws {
        for event in TraceFixtures.fullRun {
            #expect(try TraceCoding.line(event).hasPrefix("{\"type\":\"\(event.type)\","))
        }
    }

    @Test func plainEncoderAlsoWritesTheType() throws {
        let data = try TraceCoding.encoder().encode(TraceFixtures.fullRun[1])
        let o = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(o["type"] as? String == "step")
        #expect(o["step"] as? Int == 1)
        #expect(try TraceCoding.decoder().decode(TraceEvent.self, from: data).type == "step")
    }

    @Test func runStartUsesSnakeCaseKeys() throws {
        let o = try object(TraceFixtures.runStart())
        #expect(o["type"] as? String == "run_start")
        #expect(o["run_id"] as? String == "20250615-150640-ab12")
        #expect(o["kind"] as? String == "agent")
        #expect(o["dry_run"] as? Bool == false)
        #expect(o["deskpilot_version"] as? String == "0.1.0")
        let screen = try #require(o["screen"] as? [String: Any])
        #expect(screen["width"] as? Int == 1280 && screen["height"] as? Int == 720)
        #expect((o["time"] as? String)?.hasPrefix("2025-06-15T15:06:40.250") == true)
        #expect(o["command"] as? [String] == ["deskpilot", "agent", "Log in and open the report"])
    }

    @Test func stepCarriesRequestActionsDecisionsAndTimings() throws {
        let o = try object(TraceFixtures.fullRun[1])
        #expect(o["type"] as? String == "step")
        #expect(o["frame"] as? String == "frames/0001.png")
        #expect(o["annotated"] as? String == "annotated/0001.png")
        let request = try #require(o["request"] as? [String: Any])
        #expect(request["prompt_tokens"] as? Int == 1000)
        #expect(request["model_ms"] as? Double == 800)
        let images = try #require(request["images"] as? [[String: Any]])
        #expect(images.first?["width"] as? Int == 1280)
        let actions = try #require(o["actions"] as? [[String: Any]])
        let a = try #require(actions.first)
        #expect(a["description"] as? String == "click (640,360)")
        #expect(a["executed"] as? Bool == true)
        #expect(a["model_action"] != nil && a["action"] != nil)
        #expect((a["decision"] as? [String: Any])?["verdict"] as? String == "allow")
        let timings = try #require(o["timings"] as? [String: Any])
        #expect(timings["settle_ms"] as? Double == 200)
        #expect(timings["trace_ms"] as? Double == 3)
    }

    @Test func runEndCarriesStatusAndExitCode() throws {
        let o = try object(.runEnd(RunEndEvent(time: Date(), status: .policyAbort, reason: "blocked", steps: 3,
                                               durationS: 1.5)))
        #expect(o["status"] as? String == "policy_abort")
        #expect(o["exit_code"] as? Int == 4)
        #expect(o["duration_s"] as? Double == 1.5)
    }

    @Test func unknownEventTypesAreKeptRaw() throws {
        let line = #"{"type":"screen_change","tiles":3,"note":"x"}"#
        let event = try TraceCoding.event(fromLine: line)
        guard case .other(let type, let fields) = event else {
            Issue.record("expected .other, got \(event)")
            return
        }
        #expect(type == "screen_change")
        #expect(fields["tiles"] == .number(3))
        let again = try TraceCoding.event(fromLine: try TraceCoding.line(event))
        #expect(again == event)
    }

    @Test func unknownVerdictsStillDecode() throws {
        let json = #"{"verdict":"rate_limited","rule":"limits.rate"}"#
        let d = try JSONDecoder().decode(TraceDecision.self, from: Data(json.utf8))
        #expect(d.verdict.rawValue == "rate_limited")
        #expect(d.rule == "limits.rate")
    }

    @Test func timesParseWithAndWithoutFraction() {
        #expect(TraceCoding.parseTime("2025-06-15T15:06:40Z") != nil)
        #expect(TraceCoding.parseTime("2025-06-15T15:06:40.123Z") != nil)
        #expect(TraceCoding.parseTime("yesterday") == nil)
    }

    @Test(arguments: [
        (ScreenAction.click(at: Point(x: 640, y: 360), button: .left, count: 1), "click (640,360)"),
        (.click(at: Point(x: 1, y: 2), button: .right, count: 2), "double click (right) (1,2)"),
        (.drag(from: Point(x: 1, y: 2), to: Point(x: 3, y: 4), button: .left), "drag (1,2) → (3,4)"),
        (.scroll(at: nil, direction: .down, notches: 5), "scroll down 5"),
        (.type(text: "hi\n"), "type \"hi\\n\""),
        (.key(chord: "ctrl+c"), "key ctrl+c"),
        (.finished(message: nil), "finished"),
    ])
    func actionDescriptions(action: ScreenAction, expected: String) {
        #expect(action.traceDescription == expected)
    }
}
