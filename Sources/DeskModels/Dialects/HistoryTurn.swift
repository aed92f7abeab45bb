import DeskCore

/// An earlier step as the request builder needs it: the model's answer and, when the history plan
/// includes it, the screenshot already encoded at the plan's size.
public struct HistoryTurn: Sendable, Hashable {
    public var step: Int
    /// The model's raw answer for that step.
    public var answer: String
    /// The screenshot shown before that answer, encoded at the planned size; `nil` if not kept.
    public var image: EncodedImage?

    public init(step: Int, answer: String, image: EncodedImage? = nil) {
        self.step = step
        self.answer = answer
        self.image = image
    }
}
