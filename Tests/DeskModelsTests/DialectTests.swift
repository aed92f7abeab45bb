import DeskCore
import Foundation
import Testing
@testable import DeskModels

@Suite struct DialectTests {
    static let png = EncodedImage(data: Data([0x89, 0x50, 0x4E, 0x47]), size: Size(width: 1920, height: 1080))

    @Test func registryKnowsEveryDialectAndListsThemOnError() throws {
        #expect(DialectRegistry.names == ["ui-tars-1.0", "ui-tars-1.5", "seed", "seed-xml", "qwen2.5-vl", "qwen3-vl", "local"])
        #expect(try DialectRegistry.named("UI-TARS-1.5").name == "ui-tars-1.5")
        do {
            _ = try DialectRegistry.named("gpt-9")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("unknown dialect 'gpt-9'"))
            #expect(error.description.contains("seed-xml"))
            #expect(error.exitStatus == .usage)
        }
    }

    @Test func conventionsPerDialect() throws {
        #expect(Dialect.uiTars10.convention == .relative1000)
        #expect(Dialect.seed.convention == .relative1000)
        #expect(Dialect.seedXML.convention == .relative1000)
        #expect(Dialect.uiTars15.convention == .absoluteOnResized(.uiTars15))
        #expect(Dialect.qwen25VL.convention == .absoluteOnResized(.qwen25VL))
    }

    @Test func endToEndMappingExamples() throws {
        let screen = Rect(x: 0, y: 0, width: 1920, height: 1080)
        let tars = try Dialect.uiTars15.parse("Action: click(start_box='(197,525)')").get()
        let m15 = try Dialect.uiTars15.mapping(screen: screen, sentImage: screen.size)
        #expect(try m15.toScreen(tars.actions[0]) == .click(at: Point(x: 196, y: 519), button: .left, count: 1))
        let seed = try Dialect.seed.parse("Action: click(point='<point>383 808</point>')").get()
        let record = try Dialect.seed.mapping(screen: screen, sentImage: screen.size).records(for: seed.actions[0])
        #expect(abs(record[0].exactX - 735.36) < 1e-9 && abs(record[0].exactY - 872.64) < 1e-9)
    }

    @Test func uiTars15PromptIsTheReferenceText() throws {
        let messages = Dialect.uiTars15.prompt(.init(goal: "Open the file", language: "English",
                                                      imageSize: Self.png.size, modelImageSize: Size(width: 1932, height: 1092)))
        #expect(messages.count == 2)
        let text = messages[1].text
        #expect(text.hasPrefix("You are a GUI agent. You are given a task and your action history, with screenshots."))
        #expect(text.contains("## Output Format\n```\nThought: ...\nAction: ...\n```\n\n## Action Space\n\nclick(start_box='<|box_start|>(x1,y1)<|box_end|>')"))
        #expect(text.contains(#"If you want to submit your input, use \n at the end of content. "# + "\n"))
        #expect(text.contains("in normal python string format.\n\n\n## Note\n- Use English in `Thought` part."))
        #expect(text.hasSuffix("## User Instruction\nOpen the file"))
    }

    @Test func otherPrompts() {
        let ctx = Dialect.PromptContext(goal: "G", language: "Chinese", imageSize: Self.png.size, modelImageSize: Size(width: 1932, height: 1092))
        let v10 = Dialect.uiTars10.prompt(ctx)[1].text
        #expect(v10.contains("```\\nThought: ...\nAction: ...\\n```"))
        #expect(v10.contains("call_user()"))
        let seed = Dialect.seed.prompt(ctx)[1].text
        #expect(seed.contains("click(point='<point>x1 y1</point>')"))
        #expect(seed.contains("press(key='ctrl')") && seed.contains("release(key='ctrl')") && seed.contains("call_user("))
        #expect(seed.contains(#"separated by "\n\n""#))
        let xml = Dialect.seedXML.prompt(ctx)[0].text
        #expect(xml.contains("<seed:tool_call>") && xml.contains("\"name\":\"drag\""))
        let qwen = Dialect.qwen25VL.prompt(ctx)[0].text
        #expect(qwen.contains("The screen's resolution is 1932x1092."))
        #expect(qwen.contains("<tools>\n{") && qwen.contains("<tool_call>"))
    }

    @Test func historyFiveOrder() throws {
        let turns = (1...6).map { HistoryTurn(step: $0, answer: "Action: click(start_box='(\($0),\($0))')", image: Self.png) }
        let request = Dialect.uiTars15.buildRequest(goal: "Do it", history: turns, current: Self.png)
        // system, prompt, then steps 1–2 as text only, steps 3–6 as image+answer, then the current image.
        let roles = request.messages.map(\.role)
        #expect(roles == [.system, .user, .assistant, .assistant] + Array(repeating: [ChatMessage.Role.user, .assistant], count: 4).flatMap { $0 } + [.user])
        #expect(request.imageURLs.count == 5)
        #expect(request.imageURLs.allSatisfy { $0.hasPrefix("data:image/png;base64,iVBORw") })
        // 1.5 history answers get their box tokens back.
        #expect(request.messages[2].text == "Action: click(start_box='<|box_start|>(1,1)<|box_end|>')")
        #expect(request.temperature == 0)
    }

    @Test func tokenBudgetPlanLabelsImages() throws {
        let turns = (1...3).map { HistoryTurn(step: $0, answer: "Action: wait()", image: Self.png) }
        let steps = (1...4).map { HistoryStep(step: $0, captureTime: UInt64($0) * 1_000_000_000, size: Size(width: 1920, height: 1080)) }
        let plan = HistoryPlanner(rule: .tokenBudget(6000)).plan(steps: steps)
        let request = Dialect.seed.buildRequest(goal: "g", history: turns, current: Self.png, plan: plan)
        #expect(request.imageURLs.count == plan.imageCount)
        #expect(request.messages.last?.text == "Step 4 (current screen)")
    }

    @Test func addBoxTokensLeavesTaggedBoxesAlone() {
        #expect(Dialect.addBoxTokens("click(start_box='<|box_start|>(1,2)<|box_end|>')") == "click(start_box='<|box_start|>(1,2)<|box_end|>')")
        #expect(Dialect.addBoxTokens("drag(start_box='(1,2)', end_box='(3,4)')") == "drag(start_box='<|box_start|>(1,2)<|box_end|>', end_box='<|box_start|>(3,4)<|box_end|>')")
    }

    @Test func feedbackNamesTheProblemAndTheFormat() throws {
        guard case .failure(let e) = Dialect.seed.parse("Action: click(start_box='=')") else { Issue.record("parsed"); return }
        let f = Dialect.seed.feedback(for: e)
        #expect(f.contains("line 1") && f.contains("<point>x y</point>"))
    }
}
