/// The text shared by the UI-TARS / Seed computer-use prompts (reference §2.1).
enum UITarsPrompt {
    static let header = "You are a GUI agent. You are given a task and your action history, with screenshots. "
        + "You need to perform the next action to complete the task."

    /// `typeComment` and `finishedComment` are the 1.5/Doubao comments on `type` and `finished`.
    static let typeComment = #"# Use escape characters \', \", and \n in content part to ensure we can parse the content in normal python string format. If you want to submit your input, use \n at the end of content. "#
    static let finishedComment = #"# Use escape characters \', \", and \n in content part to ensure we can parse the content in normal python string format."#

    static func note(language: String, extra: [String] = []) -> String {
        (["## Note",
          "- Use \(language) in `Thought` part.",
          "- Write a small plan and finally summarize your next action (with its target element) in one sentence in `Thought` part."]
            + extra).joined(separator: "\n")
    }

    /// The prompt as one text: header, output format, action space, notes, instruction.
    static func assemble(actions: [String], language: String, notes: [String] = [], goal: String) -> String {
        header + "\n\n## Output Format\n```\nThought: ...\nAction: ...\n```\n\n## Action Space\n\n"
            + actions.joined(separator: "\n") + "\n\n\n" + note(language: language, extra: notes)
            + "\n\n## User Instruction\n" + goal
    }

    /// UI-TARS and Seed take the prompt as a user turn after a plain system message (training format).
    static func messages(_ text: String) -> [ChatMessage] {
        [.system("You are a helpful assistant."), .user(text)]
    }
}
