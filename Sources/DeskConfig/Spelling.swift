/// Suggests the known word closest to a misspelt key, for "unknown key" errors.
enum Spelling {
    /// The closest of `candidates` to `word` when it is within a couple of edits, else `nil`.
    static func closest(to word: String, in candidates: [String]) -> String? {
        let a = Array(word.lowercased().utf8)
        var best: (Int, String)?
        for candidate in candidates {
            let d = distance(a, Array(candidate.lowercased().utf8))
            if d <= max(2, a.count / 3), best.map({ d < $0.0 }) ?? true { best = (d, candidate) }
        }
        return best?.1
    }

    /// Levenshtein distance with adjacent transpositions.
    static func distance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { value = min(value, previous2[j - 2] + 1) }
                current[j] = value
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }
}
