/// Finds the known key names closest to a misspelt one, for error messages.
package enum KeyNameSuggester {
    /// Every spelling worth suggesting: aliases and keysym names, keyed by lowercase, shown as written.
    private static let candidates: [(lower: String, shown: String)] = {
        var seen = Set<String>()
        var list: [(String, String)] = []
        for alias in KeyNameAliases.aliases.keys.sorted() where seen.insert(alias).inserted {
            list.append((alias, alias))
        }
        for name in KeySymbolTable.names where name.count > 1 && seen.insert(name.lowercased()).inserted {
            list.append((name.lowercased(), name))
        }
        return list
    }()

    /// Up to `limit` names within a small edit distance of `text` (case-insensitive), closest first.
    static func closest(to text: String, limit: Int = 3) -> [String] {
        let lower = Array(text.lowercased().utf8)
        guard !lower.isEmpty, lower.count <= 64 else { return [] }
        let threshold = max(2, lower.count / 3)
        var scored: [(distance: Int, name: String)] = []
        for candidate in candidates {
            let other = Array(candidate.lower.utf8)
            guard abs(other.count - lower.count) <= threshold else { continue }
            let distance = editDistance(lower, other)
            if distance <= threshold { scored.append((distance, candidate.shown)) }
        }
        scored.sort { ($0.distance, $0.name.count, $0.name) < ($1.distance, $1.name.count, $1.name) }
        return Array(scored.prefix(limit).map(\.name))
    }

    /// Optimal-string-alignment distance: Levenshtein plus adjacent transpositions, so `ctlr` is one edit from `ctrl`.
    package static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
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
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, previous2[j - 2] + 1)
                }
                current[j] = value
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }
}
