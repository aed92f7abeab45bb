import DeskCore
import Foundation

extension Dialect {
    /// The chat request for the next step, in the UI-TARS/Seed "history-N" order: the instruction
    /// messages, then for each earlier step its screenshot (only where the plan keeps one) followed by
    /// the model's answer as text, then the current screenshot.
    ///
    /// - Parameters:
    ///   - history: earlier steps, oldest first; images already encoded at the plan's sizes.
    ///   - current: the current screenshot, encoded at ``sendSize(for:)``.
    ///   - currentStep: the current step's number (defaults to the one after the last history turn).
    ///   - plan: which screenshots to send; `nil` applies the published rule (last ``historyImages``).
    ///     A plan made by a token-budget rule labels every image with its step and age.
    public func buildRequest(goal: String, history: [HistoryTurn], current: EncodedImage, currentStep: Int? = nil,
                             plan: HistoryPlan? = nil, language: String = "English") -> ChatRequest {
        let step = currentStep ?? ((history.last?.step ?? 0) + 1)
        let modelSize = (try? resize.resize(current.size)) ?? current.size
        var messages = prompt(PromptContext(goal: goal, language: language, imageSize: current.size, modelImageSize: modelSize))
        let effectivePlan = plan ?? HistoryPlanner(rule: defaultHistoryRule).plan(
            steps: history.map { HistoryStep(step: $0.step, captureTime: 0, size: $0.image?.size ?? current.size) }
                + [HistoryStep(step: step, captureTime: 0, size: current.size)])
        func imageMessage(_ image: EncodedImage, entry: HistoryPlan.Entry?) -> ChatMessage {
            var parts: [ContentPart] = []
            if effectivePlan.labelled, let label = entry?.label { parts.append(.text(label)) }
            parts.append(.image(image))
            return .user(parts)
        }
        for turn in history {
            let entry = effectivePlan.entry(forStep: turn.step)
            if let image = turn.image, entry?.imageSize != nil {
                messages.append(imageMessage(image, entry: entry))
            }
            messages.append(.assistant(historyAnswer(turn.answer)))
        }
        messages.append(imageMessage(current, entry: effectivePlan.entry(forStep: step)))
        return ChatRequest(messages: messages, temperature: sampling.temperature, topP: sampling.topP,
                           maxTokens: sampling.maxTokens, frequencyPenalty: sampling.frequencyPenalty)
    }
}
