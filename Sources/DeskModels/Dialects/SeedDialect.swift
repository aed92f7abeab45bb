import DeskCore

extension Dialect {
    /// Seed1.5-VL / Doubao: the `COMPUTER_USE_DOUBAO` prompt with the thinking-vision-pro additions
    /// (press/release, call_user, several actions per step); `<point>x y</point>` relative 0–1000.
    public static let seed = Dialect(
        name: "seed",
        summary: "Seed1.5-VL / Doubao: <point>x y</point> relative 0–1000, multi-action steps",
        convention: .relative1000,
        resize: .doubao,
        sampling: Sampling(temperature: 0, maxTokens: 1000),
        formatReminder: "Answer as 'Thought: …' then 'Action: click(point='<point>x y</point>')' with x and y from 0 to 1000; separate several actions with a blank line.",
        prompt: { ctx in
            UITarsPrompt.messages(UITarsPrompt.assemble(actions: [
                "click(point='<point>x1 y1</point>')",
                "left_double(point='<point>x1 y1</point>')",
                "right_single(point='<point>x1 y1</point>')",
                "drag(start_point='<point>x1 y1</point>', end_point='<point>x2 y2</point>')",
                "hotkey(key='ctrl c') # Split keys with a space and use lowercase. Also, do not use more than 3 keys in one hotkey action.",
                "press(key='ctrl') # Presses and holds down ONE key (e.g. ctrl). Use it with release() to click or type while the key is held.",
                "release(key='ctrl') # Releases a key held down by press().",
                "type(content='xxx') " + UITarsPrompt.typeComment,
                "scroll(point='<point>x1 y1</point>', direction='down or up or right or left') # Show more information on the `direction` side.",
                "wait() #Sleep for 5s and take a screenshot to check for any changes.",
                "finished(content='xxx') " + UITarsPrompt.finishedComment,
                "call_user(content='xxx') # Submit the task and call the user when the task is unsolvable, or when you need the user's help. Put your question in content.",
            ], language: ctx.language, notes: [
                #"- You can provide multiple actions in one step, separated by "\n\n"."#,
                "- Ensure all keys you pressed are released by the end of the step.",
            ], goal: ctx.goal))
        },
        parser: TextActionParser.parse)
}
