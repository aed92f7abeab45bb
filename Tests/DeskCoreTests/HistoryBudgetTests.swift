import Testing
@testable import DeskCore

@Suite struct HistoryBudgetTests {
    static func steps(_ n: Int, size: Size = Size(width: 1932, height: 1092)) -> [HistoryStep] {
        (1...n).map { HistoryStep(step: $0, captureTime: UInt64($0) * 2_000_000_000, size: size) }
    }

    @Test func lastNKeepsTheNewestFramesAtFullSize() {
        let plan = HistoryPlanner(rule: .lastN(5)).plan(steps: Self.steps(8))
        #expect(plan.entries.map(\.step) == Array(1...8))
        #expect(plan.entries.prefix(3).allSatisfy { $0.include == .textOnly })
        #expect(plan.entries.suffix(5).allSatisfy { $0.include == .image(scale: 1, size: Size(width: 1932, height: 1092)) })
        #expect(plan.imageCount == 5)
        #expect(!plan.labelled)
    }

    @Test func lastNWithFewerStepsSendsAll() {
        let plan = HistoryPlanner(rule: .lastN(5)).plan(steps: Self.steps(2))
        #expect(plan.imageCount == 2)
        #expect(HistoryPlanner(rule: .lastN(5)).plan(steps: []).entries.isEmpty)
    }

    @Test(arguments: [500, 2691, 3000, 4000, 6000, 9000, 14000, 100_000])
    func tokenBudgetIsNeverExceeded(_ budget: Int) {
        let planner = HistoryPlanner(rule: .tokenBudget(budget))
        let plan = planner.plan(steps: Self.steps(7))
        let full = planner.tokens(for: Size(width: 1932, height: 1092))
        #expect(full == 69 * 39)
        if plan.withinBudget { #expect(plan.totalTokens <= budget) }
        #expect(plan.withinBudget == (budget >= planner.tokens(for: HistoryPlanner.scaled(Size(width: 1932, height: 1092), by: 0.25))))
        // The newest frame is degraded only when it is the only image left.
        let current = plan.entries.last!
        if case .image(let s, _) = current.include, s < 1 { #expect(plan.imageCount == 1) }
        // Older frames never get a larger scale than newer ones.
        let scales = plan.entries.map { e -> Double in if case .image(let s, _) = e.include { return s }; return 0 }
        #expect(scales == scales.sorted())
        #expect(plan.labelled)
    }

    @Test func budgetBuildsAStaircase() {
        let planner = HistoryPlanner(rule: .tokenBudget(6000))
        let plan = planner.plan(steps: Self.steps(5))
        let scales = plan.entries.compactMap { e -> Double? in if case .image(let s, _) = e.include { return s }; return nil }
        // 2691 tokens per full frame: the current one full, the previous ones stepped down the ladder.
        #expect(scales.last == 1.0)
        #expect(scales.count >= 3)
        #expect(Set(scales).count > 1)
        #expect(plan.totalTokens <= 6000)
    }

    @Test func bigBudgetSendsEverythingAtFullSize() {
        let plan = HistoryPlanner(rule: .tokenBudget(1_000_000)).plan(steps: Self.steps(6))
        #expect(plan.imageCount == 6)
        #expect(plan.totalTokens == 6 * 2691)
    }

    @Test func maxImagesCapsTheCount() {
        let plan = HistoryPlanner(rule: .tokenBudget(1_000_000, maxImages: 3)).plan(steps: Self.steps(6))
        #expect(plan.imageCount == 3)
        #expect(plan.entries.last?.imageSize != nil)
    }

    @Test func labelsNameStepAgeAndResolution() {
        let plan = HistoryPlanner(rule: .tokenBudget(5000)).plan(steps: Self.steps(4))
        #expect(plan.entries.last?.label == "Step 4 (current screen)")
        #expect(plan.entries[2].label.hasPrefix("Step 3 (2.0 s ago"))
        let degraded = plan.entries.first { if case .image(let s, _) = $0.include { return s < 1 }; return false }
        #expect(degraded?.label.contains("% resolution") == true)
    }

    @Test func isDeterministic() {
        let planner = HistoryPlanner(rule: .tokenBudget(7777))
        #expect(planner.plan(steps: Self.steps(9)) == planner.plan(steps: Self.steps(9)))
    }

    @Test func tinyBudgetStepsTheCurrentFrameDown() {
        let planner = HistoryPlanner(rule: .tokenBudget(800))
        let plan = planner.plan(steps: Self.steps(3))
        #expect(plan.imageCount == 1)
        #expect(plan.totalTokens <= 800)
        if case .image(let s, _) = plan.entries.last?.include { #expect(s < 1) } else { Issue.record("current frame dropped") }
    }
}
