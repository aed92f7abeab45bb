import Foundation

/// Decides which screenshots of an agent's history go to the model, and at what size.
///
/// Two rules. `.lastN(n)` is the published UI-TARS/Seed convention ("history-5"): the newest `n`
/// screenshots (the current one included) at full size, older steps as text only. `.tokenBudget`
/// spends a fixed image-token budget (tokens ≈ ⌈w/28⌉·⌈h/28⌉): the current frame keeps full
/// resolution, older frames step down ``ladder`` oldest first, in a staircase, before they are dropped.
/// Pure and deterministic: the same steps and rule always give the same plan.
public struct HistoryPlanner: Sendable, Hashable {
    /// How many history images to send.
    public enum Rule: Sendable, Hashable, Codable {
        /// The newest `n` frames at full size (n ≥ 1; the current frame counts).
        case lastN(Int)
        /// Frames within `tokens` image tokens, at most `maxImages` of them (servers cap images per
        /// prompt, e.g. vLLM `--limit-mm-per-prompt image=5`).
        case tokenBudget(Int, maxImages: Int? = nil)
    }

    public var rule: Rule
    /// Scales of the native size an older frame steps through before it is dropped, largest first.
    public var ladder: [Double]
    /// Pixels per token side (28 for Qwen2-VL-family encoders).
    public var tokenFactor: Int

    public static let defaultLadder: [Double] = [1.0, 0.75, 0.5, 0.35, 0.25]

    public init(rule: Rule, ladder: [Double] = HistoryPlanner.defaultLadder, tokenFactor: Int = 28) {
        self.rule = rule
        let clean = ladder.filter { $0 > 0 && $0 <= 1 && $0.isFinite }.sorted(by: >)
        self.ladder = clean.isEmpty ? [1.0] : clean
        self.tokenFactor = max(1, tokenFactor)
    }

    /// Approximate image tokens for a frame of `size`.
    public func tokens(for size: Size) -> Int {
        let f = tokenFactor
        return ((max(0, size.width) + f - 1) / f) * ((max(0, size.height) + f - 1) / f)
    }

    /// `size` scaled by `scale`, at least 1×1.
    public static func scaled(_ size: Size, by scale: Double) -> Size {
        if scale == 1 { return size }
        return Size(width: max(1, Int((Double(size.width) * scale).rounded())),
                    height: max(1, Int((Double(size.height) * scale).rounded())))
    }

    /// Plans `steps` (oldest first; the last one is the current observation).
    public func plan(steps: [HistoryStep]) -> HistoryPlan {
        guard let newest = steps.last else { return HistoryPlan(entries: [], totalTokens: 0, withinBudget: true) }
        // rung[i]: index into the ladder, or ladder.count for "text only".
        var rungs: [Int]
        let dropped = ladder.count
        var withinBudget = true
        switch rule {
        case .lastN(let n):
            let keep = max(1, n)
            rungs = steps.indices.map { steps.count - $0 <= keep ? 0 : dropped }
        case .tokenBudget(let budget, let maxImages):
            let cap = max(1, maxImages ?? Int.max)
            let older = steps.count - 1
            func cost(_ r: [Int]) -> Int {
                zip(steps, r).reduce(0) { acc, pair in
                    pair.1 >= dropped ? acc : acc + tokens(for: Self.scaled(pair.0.size, by: ladder[pair.1]))
                }
            }
            func imageCount(_ r: [Int]) -> Int { r.filter { $0 < dropped }.count }
            // Level k puts the older frame at age a (1 = previous) on rung k − (older − a): a staircase
            // that starts at the oldest frame. Raise k until the plan fits.
            var level = 0
            let maxLevel = older + dropped
            while true {
                rungs = steps.indices.map { i in
                    if i == steps.count - 1 { return 0 }
                    let age = older - i
                    return min(dropped, max(0, level - (older - age)))
                }
                if (cost(rungs) <= budget && imageCount(rungs) <= cap) || level >= maxLevel { break }
                level += 1
            }
            // Only the current frame is left: step it down too, as a last resort.
            var r = 0
            while cost(rungs) > budget, r < dropped - 1 {
                r += 1
                rungs[steps.count - 1] = r
            }
            withinBudget = cost(rungs) <= budget
        }
        var entries: [HistoryPlan.Entry] = []
        var total = 0
        for (i, step) in steps.enumerated() {
            let age = Double(newest.captureTime &- step.captureTime) / 1e9
            let isCurrent = i == steps.count - 1
            if rungs[i] >= dropped {
                entries.append(.init(step: step.step, include: .textOnly,
                                     label: Self.label(step: step.step, age: age, current: isCurrent, scale: nil)))
            } else {
                let scale = ladder[rungs[i]]
                let size = Self.scaled(step.size, by: scale)
                total += tokens(for: size)
                entries.append(.init(step: step.step, include: .image(scale: scale, size: size),
                                     label: Self.label(step: step.step, age: age, current: isCurrent, scale: scale)))
            }
        }
        var labelled = false
        if case .tokenBudget = rule { labelled = true }
        return HistoryPlan(entries: entries, totalTokens: total, withinBudget: withinBudget, labelled: labelled)
    }

    static func label(step: Int, age: Double, current: Bool, scale: Double?) -> String {
        var s = current ? "Step \(step) (current screen" : "Step \(step) (\(String(format: "%.1f", age)) s ago"
        if let scale, scale != 1 { s += ", \(Int((scale * 100).rounded()))% resolution" }
        return s + ")"
    }
}

/// One past observation as the planner sees it.
public struct HistoryStep: Sendable, Hashable, Codable {
    /// The run's step number (1-based by convention).
    public var step: Int
    /// Monotonic capture time in nanoseconds (``Frame/captureTime``).
    public var captureTime: UInt64
    /// The frame's full size as it would be sent (native, within the dialect's pixel budget).
    public var size: Size

    public init(step: Int, captureTime: UInt64, size: Size) {
        self.step = step
        self.captureTime = captureTime
        self.size = size
    }
}
