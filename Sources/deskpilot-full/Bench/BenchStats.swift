import Foundation

/// Medians and percentiles of timing samples (milliseconds).
struct BenchStats {
    let samples: [Double]

    var median: Double { percentile(50) }
    var p90: Double { percentile(90) }

    func percentile(_ p: Double) -> Double {
        guard !samples.isEmpty else { return .nan }
        let sorted = samples.sorted()
        let rank = p / 100 * Double(sorted.count - 1)
        let lo = Int(rank.rounded(.down)), hi = Int(rank.rounded(.up))
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - Double(lo))
    }
}

/// One contender in a comparison: a name and a batch runner returning per-iteration times in ms.
struct Contender {
    var name: String
    /// True for deskpilot's own row, the baseline of the ratios.
    var isDeskpilot: Bool
    var runBatch: () throws -> [Double]
    /// A correctness note filled in after the runs (exact text? PNG decodes to the captured pixels?).
    var correctness: () -> String = { "" }
}

/// A measured row.
struct BenchRow {
    var name: String
    var isDeskpilot: Bool
    var stats: BenchStats
    var correctness: String
    var error: String?
}

/// One table of the report: a title, what was measured, and rows measured alternately.
struct BenchTable {
    var title: String
    var note: String
    var rows: [BenchRow]
    /// What the numbers are in.
    var unit = "ms"

    var baseline: BenchRow? { rows.first { $0.isDeskpilot } }

    /// Runs `rounds` rounds; in each round every contender runs one batch, the starting contender rotating
    /// (A B, B A, …) so drift and warm-up hit everybody alike.
    static func measure(title: String, note: String, rounds: Int, contenders: [Contender]) -> BenchTable {
        var samples = Array(repeating: [Double](), count: contenders.count)
        var errors = Array(repeating: String?.none, count: contenders.count)
        for round in 0..<rounds {
            for k in 0..<contenders.count {
                let i = (k + round) % contenders.count
                guard errors[i] == nil else { continue }
                do {
                    samples[i] += try contenders[i].runBatch()
                } catch {
                    errors[i] = "\(error)"
                }
            }
        }
        let rows = contenders.indices.map { i in
            BenchRow(name: contenders[i].name, isDeskpilot: contenders[i].isDeskpilot,
                     stats: BenchStats(samples: samples[i]), correctness: contenders[i].correctness(),
                     error: errors[i] ?? (samples[i].isEmpty ? "no samples" : nil))
        }
        return BenchTable(title: title, note: note, rows: rows)
    }
}
