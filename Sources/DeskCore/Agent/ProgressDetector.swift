/// Notices an agent stuck on one action: the same action, repeated, with no change on screen.
///
/// "Same" tolerates a few pixels of jitter in the points, since a model re-aiming at the same button rarely
/// answers the identical pixel. Any screen change, or any different action, resets the count.
public struct ProgressDetector: Sendable, Hashable {
    /// What the loop should do after an action.
    public enum Verdict: Sendable, Hashable {
        /// Keep going.
        case ok
        /// Tell the model, in its next turn, that its last `repeats` identical actions changed nothing.
        case warn(repeats: Int)
        /// Stop the run: `repeats` identical actions changed nothing.
        case stop(repeats: Int)
    }

    /// Repeats that trigger a warning to the model.
    public var warnAfter: Int
    /// Repeats that stop the run.
    public var stopAfter: Int
    /// Points within this many pixels on both axes count as the same.
    public var tolerance: Int

    private var last: ScreenAction?
    /// How many times in a row ``last`` was performed without a screen change.
    public private(set) var repeats = 0

    public init(warnAfter: Int = 3, stopAfter: Int = 5, tolerance: Int = 8) {
        self.warnAfter = max(1, warnAfter)
        self.stopAfter = max(self.warnAfter, stopAfter)
        self.tolerance = max(0, tolerance)
    }

    /// Records one performed action and whether the screen changed after it.
    public mutating func record(_ action: ScreenAction, screenChanged: Bool) -> Verdict {
        if screenChanged {
            last = action
            repeats = 0
            return .ok
        }
        if let last, Self.same(last, action, tolerance: tolerance) {
            repeats += 1
        } else {
            repeats = 1
        }
        last = action
        if repeats >= stopAfter { return .stop(repeats: repeats) }
        if repeats >= warnAfter { return .warn(repeats: repeats) }
        return .ok
    }

    /// Forgets the history (after a person answered, or a sub-goal began).
    public mutating func reset() {
        last = nil
        repeats = 0
    }

    /// True when `a` and `b` are the same action up to `tolerance` pixels in their points.
    public static func same(_ a: ScreenAction, _ b: ScreenAction, tolerance: Int) -> Bool {
        let pa = a.points, pb = b.points
        guard pa.count == pb.count else { return false }
        for (p, q) in zip(pa, pb) where abs(p.x - q.x) > tolerance || abs(p.y - q.y) > tolerance { return false }
        // Compare everything else with the points snapped onto the first action's.
        var i = 0
        let snapped = b.mapPoints { (_: Point) -> Point in
            defer { i += 1 }
            return pa[i]
        }
        return snapped == a
    }
}
