import DeskCore

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

    /// Levenshtein distance with adjacent transpositions (the key-name suggester's).
    static func distance(_ a: [UInt8], _ b: [UInt8]) -> Int { KeyNameSuggester.editDistance(a, b) }
}
