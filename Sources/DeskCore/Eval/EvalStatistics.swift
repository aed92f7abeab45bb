/// The few statistics a results report needs.
public enum EvalStatistics {
    /// The median (the mean of the middle two for an even count); nil for no values.
    public static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }

    /// The unbiased pass@k estimate for a task with `n` attempts of which `c` passed (Chen et al. 2021):
    /// the chance that at least one of `k` attempts drawn without replacement passes, `1 − C(n−c, k) / C(n, k)`.
    /// nil when `k` is not between 1 and `n`.
    public static func passAtK(n: Int, c: Int, k: Int) -> Double? {
        guard n >= 1, k >= 1, k <= n, c >= 0, c <= n else { return nil }
        if n - c < k { return 1 }
        // C(n−c, k) / C(n, k) = Π_{i=0}^{k−1} (n−c−i) / (n−i), computed as a product to stay in range.
        var ratio = 1.0
        for i in 0..<k { ratio *= Double(n - c - i) / Double(n - i) }
        return 1 - ratio
    }

    /// `part / whole`, or 0 when `whole` is 0.
    public static func rate(_ part: Int, _ whole: Int) -> Double {
        whole == 0 ? 0 : Double(part) / Double(whole)
    }
}
