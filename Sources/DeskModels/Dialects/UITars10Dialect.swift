import DeskCore

extension Dialect {
    /// UI-TARS-1.0 (Qwen2-VL base): the 1.0 computer prompt; points are relative 0–1000.
    ///
    /// The 1.0 prompt was a Python raw string, so its `\n` inside the output-format fence and around
    /// the `type` comment are literal backslash-n characters; they are kept as the model saw them.
    public static let uiTars10 = Dialect(
        name: "ui-tars-1.0",
        summary: "UI-TARS-1.0 (Qwen2-VL base): boxes relative 0–1000",
        convention: .relative1000,
        resize: .uiTars10,
        sampling: Sampling(temperature: 0, maxTokens: 500, frequencyPenalty: 1),
        formatReminder: "Answer as 'Thought: …' then 'Action: click(start_box='<|box_start|>(x1,y1)<|box_end|>')' with coordinates from 0 to 1000.",
        prompt: { ctx in
            let text = UITarsPrompt.header + " \n\n## Output Format\n```\\nThought: ...\nAction: ...\\n```\n\n## Action Space\n\n"
                + [
                    "click(start_box='<|box_start|>(x1,y1)<|box_end|>')",
                    "left_double(start_box='<|box_start|>(x1,y1)<|box_end|>')",
                    "right_single(start_box='<|box_start|>(x1,y1)<|box_end|>')",
                    "drag(start_box='<|box_start|>(x1,y1)<|box_end|>', end_box='<|box_start|>(x3,y3)<|box_end|>')",
                    "hotkey(key='')",
                    "type(content='') #If you want to submit your input, use \\\"\\\n\\\" at the end of `content`.",
                    "scroll(start_box='<|box_start|>(x1,y1)<|box_end|>', direction='down or up or right or left')",
                    "wait() #Sleep for 5s and take a screenshot to check for any changes.",
                    "finished()",
                    "call_user() # Submit the task and call the user when the task is unsolvable, or when you need the user's help.",
                ].joined(separator: "\n")
                + "\n\n\n## Note\n- Use \(ctx.language) in `Thought` part.\n"
                + "- Summarize your next action (with its target element) in one sentence in `Thought` part.\n\n"
                + "## User Instruction\n" + ctx.goal
            return UITarsPrompt.messages(text)
        },
        parser: TextActionParser.parse)
}
