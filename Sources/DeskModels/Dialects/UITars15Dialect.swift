import DeskCore
import Foundation

extension Dialect {
    /// UI-TARS-1.5: the 1.5 `COMPUTER_USE` prompt; points are absolute pixels on the smart-resized image.
    public static let uiTars15 = Dialect(
        name: "ui-tars-1.5",
        summary: "UI-TARS-1.5 (Qwen2.5-VL base): absolute pixels on the smart-resized screenshot",
        convention: .absoluteOnResized(.uiTars15),
        resize: .uiTars15,
        sampling: Sampling(temperature: 0, maxTokens: 1000),
        formatReminder: "Answer as 'Thought: …' then 'Action: click(start_box='<|box_start|>(x1,y1)<|box_end|>')' using the action space you were given.",
        prompt: { ctx in
            UITarsPrompt.messages(UITarsPrompt.assemble(actions: [
                "click(start_box='<|box_start|>(x1,y1)<|box_end|>')",
                "left_double(start_box='<|box_start|>(x1,y1)<|box_end|>')",
                "right_single(start_box='<|box_start|>(x1,y1)<|box_end|>')",
                "drag(start_box='<|box_start|>(x1,y1)<|box_end|>', end_box='<|box_start|>(x3,y3)<|box_end|>')",
                "hotkey(key='')",
                "type(content='xxx') " + UITarsPrompt.typeComment,
                "scroll(start_box='<|box_start|>(x1,y1)<|box_end|>', direction='down or up or right or left')",
                "wait() #Sleep for 5s and take a screenshot to check for any changes.",
                "finished(content='xxx') " + UITarsPrompt.finishedComment,
            ], language: ctx.language, goal: ctx.goal))
        },
        historyAnswer: Dialect.addBoxTokens,
        parser: TextActionParser.parse)

    /// Re-inserts `<|box_start|>`/`<|box_end|>` around bare `(x,y)` boxes, as UI-TARS's `add_box_token()`
    /// does before answers are replayed to 1.5 (README_deploy).
    @Sendable public static func addBoxTokens(_ answer: String) -> String {
        var out = ""
        var rest = Substring(answer)
        let keys = ["start_box='", "end_box='", "start_box=\"", "end_box=\""]
        while let (range, _) = keys.compactMap({ k in rest.range(of: k).map { ($0, k) } }).min(by: { $0.0.lowerBound < $1.0.lowerBound }) {
            out += rest[..<range.upperBound]
            rest = rest[range.upperBound...]
            if rest.hasPrefix("("), let close = rest.firstIndex(of: ")") {
                out += "<|box_start|>" + rest[...close] + "<|box_end|>"
                rest = rest[rest.index(after: close)...]
            }
        }
        return out + rest
    }
}
