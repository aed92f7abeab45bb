/// A `local`-dialect goal read into steps: the offline, deterministic "model".
///
/// The grammar is a handful of imperative steps joined by commas, semicolons, new lines, `then` or `and`:
/// `click|double click|right click|middle click TEXT`, `type 'TEXT' [into FIELD]`, `press CHORD`,
/// `scroll up|down|left|right [N] [in TEXT]`, `wait for TEXT`, `wait DURATION`, `drag TEXT to TEXT`.
/// TEXT may be quoted ('…' or "…") and must be when it contains a separator; unquoted, a leading `on`/`the`
/// and a trailing `button`, `link`, `field` or `icon` are dropped (`tab`, `menu`, `item`… only after `the`:
/// `click the Settings tab` but `click New Tab`).
public struct LocalPlan: Sendable, Hashable {
    public var steps: [LocalStep]

    public init(steps: [LocalStep]) {
        self.steps = steps
    }

    /// Reads `goal`.
    /// - Throws: ``LocalPlanError`` naming the first part that is not a step.
    public static func parse(_ goal: String) throws(LocalPlanError) -> LocalPlan {
        LocalPlan(steps: try LocalPlanParser.parse(goal))
    }
}
