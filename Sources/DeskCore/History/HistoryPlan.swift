/// The planner's answer: for each step, oldest first, whether its screenshot is sent and at what size.
public struct HistoryPlan: Sendable, Hashable, Codable {
    /// What to send for one step.
    public enum Inclusion: Sendable, Hashable, Codable {
        /// Send the screenshot at `scale` of its full size (`size` is that scaled size).
        case image(scale: Double, size: Size)
        /// Send the step's answer as text only.
        case textOnly
    }

    /// One step's decision and its label ("Step 4 (3.2 s ago, 50% resolution)").
    public struct Entry: Sendable, Hashable, Codable {
        public var step: Int
        public var include: Inclusion
        public var label: String

        public init(step: Int, include: Inclusion, label: String) {
            self.step = step
            self.include = include
            self.label = label
        }

        /// The size to encode the screenshot at, or `nil` for text only.
        public var imageSize: Size? {
            if case .image(_, let size) = include { return size }
            return nil
        }
    }

    /// One entry per step, in the order the steps were given (oldest first; the last is current).
    public var entries: [Entry]
    /// Image tokens of everything included.
    public var totalTokens: Int
    /// False only when even the current frame alone at the smallest rung exceeds the budget.
    public var withinBudget: Bool
    /// True when images should carry their labels (token-budget plans: frames of mixed sizes and ages);
    /// the published last-N convention sends them unlabelled, as the models were trained.
    public var labelled: Bool

    public init(entries: [Entry], totalTokens: Int, withinBudget: Bool, labelled: Bool = false) {
        self.entries = entries
        self.totalTokens = totalTokens
        self.withinBudget = withinBudget
        self.labelled = labelled
    }

    /// The entry for `step`, if planned.
    public func entry(forStep step: Int) -> Entry? { entries.first { $0.step == step } }

    /// How many images the plan sends.
    public var imageCount: Int { entries.filter { $0.imageSize != nil }.count }
}
