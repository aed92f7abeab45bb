import DeskCore
import Testing
@testable import DeskModels

/// Set-of-Mark numbers in place of points (`--observe som`), in each answer format, read strictly.
@Suite struct MarkParsingTests {
    func actions(_ text: String, _ parser: (String) -> Result<ParsedAnswer, ParseError> = TextActionParser.parse) -> [ModelAction]? {
        if case .success(let a) = parser(text) { return a.actions }
        return nil
    }

    @Test func callFormatsTakeMarkAndEndMark() {
        #expect(actions("Action: click(mark=17)") == [.click(at: .mark(17), button: .left, count: 1)])
        #expect(actions("Action: left_double(mark='4')") == [.click(at: .mark(4), button: .left, count: 2)])
        #expect(actions("Action: drag(mark=3, end_mark=5)") == [.drag(from: .mark(3), to: .mark(5), button: .left)])
        #expect(actions("Action: scroll(mark=8, direction='down')") == [.scroll(at: .mark(8), direction: .down, notches: 5)])
    }

    @Test(arguments: ["Action: click(mark='[17]')", "Action: click(mark=0)", "Action: click(mark=1.5)",
                      "Action: click(mark=17, start_box='(1,2)')", "Action: click(mark=123456)"])
    func malformedMarksAreErrors(text: String) {
        #expect(actions(text) == nil, "\(text)")
    }

    @Test func aUITarsBoxIsNeverAMark() {
        // `start_box='[17]'` is a malformed box, not mark 17.
        #expect(actions("Action: click(start_box='[17]')") == nil)
    }

    @Test func qwenToolCallsTakeMark() {
        let json = #"<tool_call>{"name": "computer_use", "arguments": {"action": "left_click", "mark": 17}}</tool_call>"#
        #expect(actions(json, QwenToolCallParser.parse) == [.click(at: .mark(17), button: .left, count: 1)])
        let both = #"<tool_call>{"name": "computer_use", "arguments": {"action": "left_click", "mark": 17, "coordinate": [1, 2]}}</tool_call>"#
        #expect(actions(both, QwenToolCallParser.parse) == nil)
        let fraction = #"<tool_call>{"name": "computer_use", "arguments": {"action": "left_click", "mark": 1.5}}</tool_call>"#
        #expect(actions(fraction, QwenToolCallParser.parse) == nil)
    }

    @Test func seedXMLTakesMarkParameters() {
        let xml = "<seed:tool_call>\n<function=click>\n<parameter=mark>9</parameter>\n</function>\n</seed:tool_call>"
        #expect(actions(xml, Dialect.seedXML.parser) == [.click(at: .mark(9), button: .left, count: 1)])
    }

    @Test func everyDialectTellsHowToNameAMark() {
        for dialect in DialectRegistry.builtIn where dialect.needsEndpoint {
            #expect(dialect.markGrammar.contains("mark"), "\(dialect.name)")
        }
    }
}
