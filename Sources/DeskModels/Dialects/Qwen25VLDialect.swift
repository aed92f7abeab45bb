import DeskCore
import Foundation

extension Dialect {
    /// Qwen2.5-VL `computer_use` function calls in `<tool_call>` JSON; absolute pixels on the
    /// smart-resized image, whose size the system prompt announces.
    public static let qwen25VL = Dialect(
        name: "qwen2.5-vl",
        summary: "Qwen2.5-VL computer_use <tool_call> JSON, absolute on the smart-resized size",
        convention: .absoluteOnResized(.qwen25VL),
        resize: .qwen25VL,
        sampling: Sampling(temperature: 0, maxTokens: 1000),
        formatReminder: "Answer with <tool_call>{\"name\": \"computer_use\", \"arguments\": {\"action\": …}}</tool_call>.",
        markGrammar: Dialect.jsonMarkGrammar,
        prompt: { ctx in
            [.system(QwenPrompt.system(width: ctx.modelImageSize.width, height: ctx.modelImageSize.height)), .user(ctx.goal)]
        },
        parser: QwenToolCallParser.parse)
}

/// The `NousFnCallPrompt` system text with the `computer_use` tool (reference §8).
enum QwenPrompt {
    static func system(width: Int, height: Int) -> String {
        let description = """
        Use a mouse and keyboard to interact with a computer, and take screenshots.
        * This is an interface to a desktop GUI. You do not have access to a terminal or applications menu. You must click on desktop icons to start applications.
        * Some applications may take time to start or process actions, so you may need to wait and take successive screenshots to see the results of your actions.
        * The screen's resolution is \(width)x\(height).
        * Whenever you intend to move the cursor to click on an element like an icon, you should consult a screenshot to determine the coordinates of the element before moving the cursor.
        * Make sure to click any buttons, links, icons, etc with the cursor tip in the center of the element.
        """
        let actions = ["key", "type", "mouse_move", "left_click", "left_click_drag", "right_click", "middle_click",
                       "double_click", "scroll", "wait", "terminate"]
        let tool: JSONValue = .object([
            "type": .string("function"),
            "function": .object([
                "name": .string("computer_use"),
                "description": .string(description),
                "parameters": .object([
                    "type": .string("object"),
                    "required": .array([.string("action")]),
                    "properties": .object([
                        "action": .object(["type": .string("string"), "enum": .array(actions.map { .string($0) }),
                                           "description": .string("key: press keys in order, release in reverse. type: type a string. mouse_move / left_click / right_click / middle_click / double_click: at coordinate. left_click_drag: drag from the pointer to coordinate. scroll: pixels > 0 up, < 0 down. wait: time seconds. terminate: end the task with status.")]),
                        "keys": .object(["type": .string("array"), "description": .string("Required only by action=key.")]),
                        "text": .object(["type": .string("string"), "description": .string("Required only by action=type.")]),
                        "coordinate": .object(["type": .string("array"), "description": .string("(x, y) in pixels from the left and top edges.")]),
                        "pixels": .object(["type": .string("number"), "description": .string("Scroll amount. Required only by action=scroll.")]),
                        "time": .object(["type": .string("number"), "description": .string("Seconds to wait. Required only by action=wait.")]),
                        "status": .object(["type": .string("string"), "enum": .array([.string("success"), .string("failure")]),
                                           "description": .string("Required only by action=terminate.")]),
                    ]),
                ]),
            ]),
        ])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = (try? encoder.encode(tool)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return """
        You are a helpful assistant.

        # Tools

        You may call one or more functions to assist with the user query.

        You are provided with function signatures within <tools></tools> XML tags:
        <tools>
        \(json)
        </tools>

        For each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:
        <tool_call>
        {"name": <function-name>, "arguments": <args-json-object>}
        </tool_call>
        """
    }
}
