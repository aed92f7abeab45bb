import DeskCore
import Foundation

extension SmartResize {
    /// Qwen3-VL's processor: 16-px patches merged 2×2, so sides are multiples of 32; 64·32² … 16·16·4·12800 px.
    public static let qwen3VL = SmartResize(factor: 32, minPixels: 64 * 32 * 32, maxPixels: 16 * 16 * 4 * 12800)
}

extension Dialect {
    /// Qwen3-VL's `computer_use` function over chat completions: coordinates relative to 1000 on both axes
    /// (pixel = value / 1000 × width), as native `tool_calls` (vLLM `--tool-call-parser hermes`) or as
    /// `<tool_call>` text; images resized in steps of 32.
    public static let qwen3VL = Dialect(
        name: "qwen3-vl",
        summary: "Qwen3-VL computer_use function (tool_calls or <tool_call> text), coordinates relative 0–1000",
        convention: .relative1000,
        resize: .qwen3VL,
        sampling: Sampling(temperature: 0, maxTokens: 2048),
        historyImages: 3,
        formatReminder: "Answer with one line 'Action: …' and then <tool_call>{\"name\": \"computer_use\", \"arguments\": {\"action\": …}}</tool_call>; coordinates run from 0 to 1000.",
        markGrammar: Dialect.jsonMarkGrammar,
        prompt: { ctx in [.system(Qwen3Prompt.system), .user("The user query: " + ctx.goal)] },
        parser: QwenToolCallParser.parse)
}

/// Qwen3-VL's computer-use system prompt: the `computer_use` function schema in `<tools>` (the cookbook's
/// action list), the 1000×1000 resolution it is trained on, and the response format.
enum Qwen3Prompt {
    static let actions = ["key", "type", "mouse_move", "left_click", "left_click_drag", "right_click", "middle_click",
                          "double_click", "triple_click", "scroll", "hscroll", "wait", "terminate", "answer"]

    static let description = """
        Use a mouse and keyboard to interact with a computer, and take screenshots.
        * This is an interface to a desktop GUI. You do not have access to a terminal or applications menu. You must click on desktop icons to start applications.
        * Some applications may take time to start or process actions, so you may need to wait and take successive screenshots to see the results of your actions. E.g. if you click on Firefox and a window doesn't open, try wait and taking another screenshot.
        * The screen's resolution is 1000x1000.
        * Whenever you intend to move the cursor to click on an element like an icon, you should consult a screenshot to determine the coordinates of the element before moving the cursor.
        * If you tried clicking on a program or link but it failed to load, even after waiting, try adjusting your cursor position so that the tip of the cursor visually falls on the element that you want to click.
        * Make sure to click any buttons, links, icons, etc with the cursor tip in the center of the element. Don't click boxes on their edges.
        """

    static let actionHelp = """
        The action to perform. The available actions are:
        * `key`: Performs key down presses on the arguments passed in order, then performs key releases in reverse order.
        * `type`: Type a string of text on the keyboard.
        * `mouse_move`: Move the cursor to a specified (x, y) pixel coordinate on the screen.
        * `left_click`: Click the left mouse button at a specified (x, y) pixel coordinate on the screen.
        * `left_click_drag`: Click and drag the cursor to a specified (x, y) pixel coordinate on the screen.
        * `right_click`: Click the right mouse button at a specified (x, y) pixel coordinate on the screen.
        * `middle_click`: Click the middle mouse button at a specified (x, y) pixel coordinate on the screen.
        * `double_click`: Double-click the left mouse button at a specified (x, y) pixel coordinate on the screen.
        * `triple_click`: Triple-click the left mouse button at a specified (x, y) pixel coordinate on the screen.
        * `scroll`: Performs a scroll of the mouse scroll wheel (pixels > 0 up, < 0 down).
        * `hscroll`: Performs a horizontal scroll (pixels > 0 right, < 0 left).
        * `wait`: Wait specified seconds for the change to happen.
        * `terminate`: Terminate the current task and report its completion status.
        * `answer`: Answer a question.
        """

    static let tool: JSONValue = .object([
        "type": .string("function"),
        "function": .object([
            "name": .string("computer_use"),
            "description": .string(description),
            "parameters": .object([
                "type": .string("object"),
                "required": .array([.string("action")]),
                "properties": .object([
                    "action": .object(["type": .string("string"), "enum": .array(actions.map { .string($0) }),
                                       "description": .string(actionHelp)]),
                    "keys": .object(["type": .string("array"), "description": .string("Required only by `action=key`.")]),
                    "text": .object(["type": .string("string"), "description": .string("Required only by `action=type` and `action=answer`.")]),
                    "coordinate": .object(["type": .string("array"), "description": .string("(x, y): The x (pixels from the left edge) and y (pixels from the top edge) coordinates to move the mouse to.")]),
                    "pixels": .object(["type": .string("number"), "description": .string("The amount of scrolling to perform. Positive values scroll up (right for hscroll), negative values scroll down (left). Required only by `action=scroll` and `action=hscroll`.")]),
                    "time": .object(["type": .string("number"), "description": .string("The seconds to wait. Required only by `action=wait`.")]),
                    "status": .object(["type": .string("string"), "enum": .array([.string("success"), .string("failure")]),
                                       "description": .string("The status of the task. Required only by `action=terminate`.")]),
                ]),
            ]),
        ]),
    ])

    static let system: String = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = (try? encoder.encode(tool)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return """
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

            # Response format

            Response format for every step:
            1) Action: a short imperative describing what to do in the UI.
            2) A single <tool_call>...</tool_call> block containing only the JSON: {"name": <function-name>, "arguments": <args-json-object>}.

            Rules:
            - Output exactly in the order: Action, <tool_call>.
            - Be brief: one sentence for Action.
            - Do not output anything else outside those parts.
            - If finishing, use action=terminate in the tool call.
            """
    }()
}
