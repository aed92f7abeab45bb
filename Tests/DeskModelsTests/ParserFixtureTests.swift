import DeskCore
import Testing
@testable import DeskModels

/// The reference's literal model outputs (model-formats.md §2.3, §5, §8) and what they must parse to.
@Suite struct ParserFixtureTests {
    func p(_ x: Double, _ y: Double) -> ModelPoint { ModelPoint(x: x, y: y) }

    func parse(_ text: String, _ parser: (String) -> Result<ParsedAnswer, ParseError> = TextActionParser.parse) throws -> ParsedAnswer {
        switch parser(text) {
        case .success(let a): return a
        case .failure(let e): Issue.record("unexpected parse error: \(e)"); throw e
        }
    }

    @Test func fixture1ThoughtAndAbsoluteClick() throws {
        let a = try parse("Thought: I should open the menu.\nAction: click(start_box='(177,549)')")
        #expect(a.actions == [.click(at: p(177, 549), button: .left, count: 1)])
        #expect(a.thought == "I should open the menu.")
    }

    @Test func fixture2BoxTokens() throws {
        #expect(try parse("Action: click(start_box='<|box_start|>(495,30)<|box_end|>')").actions == [.click(at: p(495, 30), button: .left, count: 1)])
    }

    @Test func fixture3PointWithExtraSummaryLine() throws {
        let text = "Thought: The dialog is open and must be closed.\nClick on the close button (X) at the top right.\nAction: click(point='<point>450 417</point>')"
        let a = try parse(text)
        #expect(a.actions == [.click(at: p(450, 417), button: .left, count: 1)])
        #expect(a.thought?.contains("Click on the close button") == true)
    }

    @Test func fixture4ChineseThoughtPoint() throws {
        let a = try parse("Thought: 我现在打开了Preferences窗口，需要点击左下角的按钮。\nAction: click(point='<point>383 808</point>')")
        #expect(a.actions == [.click(at: p(383, 808), button: .left, count: 1)])
        #expect(a.thought?.hasPrefix("我现在打开了Preferences窗口") == true)
    }

    @Test func fixture5BboxHallucinationForm() throws {
        #expect(try parse("Action: click(start_box='<bbox>637 964 637 964</bbox>')").actions == [.click(at: p(637, 964), button: .left, count: 1)])
    }

    @Test func fixture6ThinkBlock() throws {
        let a = try parse("<think>\nThe search box is at the top.\n</think>\nThought: Click the search box.\nAction: click(point='<point>510 150</point>')")
        #expect(a.actions == [.click(at: p(510, 150), button: .left, count: 1)])
        #expect(a.reasoning == "The search box is at the top.")
        #expect(a.thought == "Click the search box.")
    }

    @Test func fixture7FullWidthColon() throws {
        #expect(try parse("Action：click(start_box='<bbox>191 21 191 21</bbox>')").actions == [.click(at: p(191, 21), button: .left, count: 1)])
    }

    @Test func fixture8NoPrefixDoubleQuotes() throws {
        #expect(try parse("click(start_box=\"(100,200)\")").actions == [.click(at: p(100, 200), button: .left, count: 1)])
    }

    @Test func fixture9ReflectionAndSummary() throws {
        let a = try parse("Reflection: The last click missed.\nAction_Summary: Double-click the icon.\nAction: left_double(start_box='21, 246, 21, 246')")
        #expect(a.actions == [.click(at: p(21, 246), button: .left, count: 2)])
        #expect(a.reflection == "The last click missed.")
        #expect(a.thought == "Double-click the icon.")
    }

    @Test func fixture10TypeWithTrailingNewline() throws {
        let a = try parse("Thought: Enter the address.\nAction: type(content='doubao.com\\n')")
        #expect(a.actions == [.type(text: "doubao.com\n")])
    }

    @Test func fixture11SummaryHotkey() throws {
        let a = try parse("Action_Summary: 粘贴使用 ctrl+v。\nAction: hotkey(key='ctrl v')")
        #expect(a.actions == [.key(chord: "ctrl v")])
        #expect(a.thought == "粘贴使用 ctrl+v。")
    }

    @Test func fixture12MultiAction() throws {
        let text = "Action: click(point='<point>403 81</point>')\n\ntype(content='baidu.com')\n\nhotkey(key='enter')\n\nclick(point='<point>403 431</point>')\n\ntype(content='北京天气')\n\nhotkey(key='enter')"
        #expect(try parse(text).actions == [
            .click(at: p(403, 81), button: .left, count: 1), .type(text: "baidu.com"), .key(chord: "enter"),
            .click(at: p(403, 431), button: .left, count: 1), .type(text: "北京天气"), .key(chord: "enter"),
        ])
    }

    @Test func fixture13RepeatedClickIsOneValidAnswer() throws {
        // UI-TARS #131 repeats this across 15 steps: a loop problem, not a parse problem.
        #expect(try parse("Action: click(start_box='(1099,64)')").actions == [.click(at: p(1099, 64), button: .left, count: 1)])
    }

    @Test func fixture14SeedXML() throws {
        let a = try parse("<seed:tool_call>\n<function=click>\n<parameter=point><point>17 58</point></parameter>\n</function>\n</seed:tool_call>", SeedXMLParser.parse)
        #expect(a.actions == [.click(at: p(17, 58), button: .left, count: 1)])
        let t = try parse("<seed:tool_call>\n<function=type>\n<parameter=content>shrimp and crab recipes</parameter>\n</function>\n</seed:tool_call>", SeedXMLParser.parse)
        #expect(t.actions == [.type(text: "shrimp and crab recipes")])
    }

    @Test func seedXMLNeverUsedTagsAndMultipleFunctions() throws {
        let h = "_never_used_51bce0c785ca2f68081bfa7d91973934"
        let text = "<think\(h)> reasoning here </think\(h)>\n<seed:tool_call><function\(h)=click><parameter\(h)=point><point>10 20</point></parameter\(h)></function\(h)>"
            + "<function\(h)=hotkey><parameter\(h)=key>ctrl s</parameter\(h)></function\(h)></seed:tool_call>"
        let a = try parse(text, SeedXMLParser.parse)
        #expect(a.actions == [.click(at: p(10, 20), button: .left, count: 1), .key(chord: "ctrl s")])
        #expect(a.reasoning == "reasoning here")
    }

    @Test func qwenToolCall() throws {
        let a = try parse("<tool_call>\n{\"name\": \"mobile_use\", \"arguments\": {\"action\": \"click\", \"coordinate\": [935, 406]}}\n</tool_call>", QwenToolCallParser.parse)
        #expect(a.actions == [.click(at: p(935, 406), button: .left, count: 1)])
        let b = try parse("I will save.\n<tool_call>\n{\"name\": \"computer_use\", \"arguments\": {\"action\": \"key\", \"keys\": [\"ctrl\", \"s\"]}}\n</tool_call>\n<tool_call>{\"name\": \"computer_use\", \"arguments\": {\"action\": \"left_click_drag\", \"coordinate\": [5, 6]}}</tool_call>", QwenToolCallParser.parse)
        #expect(b.actions == [.key(chord: "ctrl+s"), .mouseDown(at: nil, button: .left), .move(to: p(5, 6)), .mouseUp(at: p(5, 6), button: .left)])
        #expect(b.thought == "I will save.")
        let c = try parse("<tool_call>{\"name\": \"computer_use\", \"arguments\": {\"action\": \"scroll\", \"pixels\": -3}}</tool_call>", QwenToolCallParser.parse)
        #expect(c.actions == [.scroll(at: nil, direction: .down, notches: 3)])
        let d = try parse("<tool_call>{\"name\": \"computer_use\", \"arguments\": {\"action\": \"terminate\", \"status\": \"success\"}}</tool_call>", QwenToolCallParser.parse)
        #expect(d.actions == [.finished(message: nil)])
    }

    @Test func everyActionName() throws {
        let text = """
        Action: left_double(start_box='(1,2)')

        right_single(start_box='[1, 2, 3, 4]')

        drag(start_box='(0,0)', end_box='(10,10)')

        scroll(start_box='(5,5)', direction='down')

        scroll(direction='up')

        press(key='ctrl')

        release(key='ctrl')

        hover(start_box='(7,8)')

        wait()

        mouse_down(point='<point>1 1</point>', button='right')

        finished(content='done')

        call_user(content='Which file?')
        """
        #expect(try parse(text).actions == [
            .click(at: p(1, 2), button: .left, count: 2), .click(at: p(2, 3), button: .right, count: 1),
            .drag(from: p(0, 0), to: p(10, 10), button: .left), .scroll(at: p(5, 5), direction: .down, notches: 5),
            .scroll(at: nil, direction: .up, notches: 5), .press(key: "ctrl"), .release(key: "ctrl"), .move(to: p(7, 8)),
            .wait(seconds: 5), .mouseDown(at: p(1, 1), button: .right), .finished(message: "done"), .callUser(question: "Which file?"),
        ])
    }

    @Test func typeContentEscapesAndQuotes() throws {
        #expect(try parse(#"Action: type(content='it\'s \"quoted\"\nnext')"#).actions == [.type(text: "it's \"quoted\"\nnext")])
        // Unescaped apostrophe: the value ends at the quote followed by ')'.
        #expect(try parse("Action: type(content='it's fine')").actions == [.type(text: "it's fine")])
        // Missing closing parenthesis is appended, as the reference parser does.
        #expect(try parse("Action: type(content='hello')\n").actions == [.type(text: "hello")])
        #expect(try parse("Action: type(content='hello'").actions == [.type(text: "hello")])
        // A real newline inside the content is kept.
        #expect(try parse("Action: type(content='a\nb')").actions == [.type(text: "a\nb")])
    }
}

@Suite struct ParserErrorTests {
    func error(_ text: String, _ parser: (String) -> Result<ParsedAnswer, ParseError> = TextActionParser.parse) -> ParseError? {
        if case .failure(let e) = parser(text) { return e }
        Issue.record("expected a parse error for \(text)")
        return nil
    }

    @Test func equalsSignIsNotAClick() throws {
        let e = try #require(error("Thought: x\nAction: click(start_box='=')"))
        #expect(e.line == 2)
        #expect(e.column == 25)
        #expect(e.message.contains("start_box"))
    }

    @Test(arguments: [
        "Action: click(start_box='(abc,def)')",           // letters instead of numbers (UI-TARS #81)
        "Action: click(point='(318,636)')",               // point= without <point> tags (UI-TARS #179)
        "Action: click(start_box='(1,2,3)')",             // three numbers
        "Action: click(start_box='(nan,1)')",
        "Action: click(start_box='(1e3,1)')",
        "Action: click(point='<point>1 2')",
        "Action: click()",
        "Action: open_app(app_name='Files')",
        "Action: scroll(start_box='(1,1)', direction='sideways')",
        "Action: scroll(start_box='(1,1)')",
        "Action: drag(start_box='(1,1)')",
        "Action: type(content='')",
        "Action: hotkey(key='')",
        "Action: click(start_box='(1,1)', start_box='(2,2)')",
        "Action: click(start_box='(1,1)', color='red')",
        "Action: click(start_box='(1,1)' junk",
        "Action: click(start_box='(1,1)) trailing",
        "Action: type(content='never closed",
        "Action: wait(time='forever')",
        "Thought: I am thinking but never act.",
        "",
        "<think>unterminated",
        "Action: ",
        "Action: click start_box='(1,1)'",
    ])
    func malformedAnswersAreErrors(_ text: String) {
        let e = error(text)
        #expect(e?.message.isEmpty == false)
        #expect((e?.line ?? 0) >= 1)
    }

    @Test func seedXMLErrors() {
        #expect(error("Thought: no tool call", SeedXMLParser.parse) != nil)
        #expect(error("<seed:tool_call><function=click><parameter=point>(1,2)</parameter></function></seed:tool_call>", SeedXMLParser.parse) != nil)
        #expect(error("<seed:tool_call><function=click><parameter=point><point>1 2</point></parameter>", SeedXMLParser.parse) != nil)
        #expect(error("<seed:tool_call>junk</seed:tool_call>", SeedXMLParser.parse) != nil)
    }

    @Test func qwenErrors() {
        #expect(error("no call", QwenToolCallParser.parse) != nil)
        #expect(error("<tool_call>{not json}</tool_call>", QwenToolCallParser.parse) != nil)
        #expect(error("<tool_call>{\"name\": \"computer_use\", \"arguments\": {\"action\": \"mouse_move\"}}</tool_call>", QwenToolCallParser.parse) != nil)
        #expect(error("<tool_call>{\"name\": \"computer_use\", \"arguments\": {\"action\": \"left_click\", \"coordinate\": [1, true]}}</tool_call>", QwenToolCallParser.parse) != nil)
        #expect(error("<tool_call>{\"name\": \"browser\", \"arguments\": {}}</tool_call>", QwenToolCallParser.parse) != nil)
    }

    @Test func errorDescriptionSaysWhere() throws {
        let e = try #require(error("Thought: a\nb\nAction: click(start_box='(x,1)')"))
        #expect(e.description.hasPrefix("line 3, column 25:"))
        #expect(e.excerpt == "Action: click(start_box='(x,1)')")
        #expect(e.exitStatus == .failure)
    }
}
