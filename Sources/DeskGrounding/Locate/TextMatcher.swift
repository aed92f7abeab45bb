import DeskCore

/// Finds a query in recognised lines: exact, case-insensitive, across adjacent words, and tolerant of
/// one OCR error in each word of four or more letters. Pure: no OCR, no screen.
///
/// Every candidate gets a score in 0…1: the quality of the text match (1 for the exact text filling a whole
/// line, less for a different case, stray punctuation, words OCR split or joined, OCR errors, or a match
/// that is only part of a longer line) times a factor for OCR's confidence in the words (0.75 + 0.25·c).
package enum TextMatcher {
    /// Penalties, subtracted from 1 (per word, averaged over the query's words).
    static let casePenalty = 0.03
    static let punctuationPenalty = 0.05
    static let joinedPenalty = 0.06
    /// Part of a longer line: multiplies.
    static let partialFactor = 0.97

    /// Every place in `lines` where `query` matches, best first, overlapping places reduced to the best.
    package static func matches(_ query: String, in lines: [OCRLine]) -> [TextMatch] {
        let queryWords = TextFolding.words(query)
        guard !queryWords.isEmpty else { return [] }
        let compactQuery = TextFolding.compact(query)
        let allowedErrors = min(2, queryWords.filter { TextFolding.compact($0).count >= 4 }.count)
        var found: [TextMatch] = []
        for line in lines where !line.words.isEmpty {
            let words = line.words
            for start in words.indices {
                var best: (quality: Double, end: Int)?
                // Word by word, same number of words.
                let end = start + queryWords.count
                if end <= words.count, let q = alignedQuality(queryWords, Array(words[start..<end])) {
                    best = (q, end)
                }
                // Split or joined differently: compare the letters only, over nearby word counts.
                if (best?.quality ?? 0) < 1 - joinedPenalty, !compactQuery.isEmpty {
                    let lo = max(1, queryWords.count - 2), hi = min(words.count - start, queryWords.count + 2)
                    if lo <= hi {
                        for count in lo...hi {
                            let span = words[start..<(start + count)].map { TextFolding.compact($0.text) }.joined()
                            guard let q = compactQuality(compactQuery, span, allowedErrors: allowedErrors) else { continue }
                            if q > (best?.quality ?? -1) { best = (q, start + count) }
                        }
                    }
                }
                guard let chosen = best else { continue }
                var quality = chosen.quality
                let stop = chosen.end
                if start > 0 || stop < words.count { quality *= partialFactor }
                let span = Array(words[start..<stop])
                let confidence = span.map(\.confidence).reduce(0, +) / Double(span.count)
                let score = quality * (0.75 + 0.25 * max(0, min(1, confidence)))
                found.append(TextMatch(text: span.map(\.text).joined(separator: " "),
                                       box: OCRLine.union(span.map(\.box)), score: score))
            }
        }
        return suppressOverlaps(found.sorted(by: ranked))
    }

    /// Best score first; equal scores in reading order.
    package static func ranked(_ a: TextMatch, _ b: TextMatch) -> Bool {
        if a.score != b.score { return a.score > b.score }
        return readingOrder(a, b)
    }

    /// Top to bottom by line, then left to right (boxes whose vertical centres are within half a line are
    /// on the same line).
    package static func readingOrder(_ a: TextMatch, _ b: TextMatch) -> Bool {
        let ay = a.box.y + a.box.height / 2, by = b.box.y + b.box.height / 2
        let tolerance = max(4, min(a.box.height, b.box.height) / 2)
        if abs(ay - by) > tolerance { return ay < by }
        return a.box.x < b.box.x
    }

    /// Quality of the words `span` against the query's words, one to one; nil when any word does not match.
    static func alignedQuality(_ query: [String], _ span: [OCRWord]) -> Double? {
        var penalty = 0.0
        for (q, w) in zip(query, span.map(\.text)) {
            if q == w { continue }
            if q.lowercased() == w.lowercased() { penalty += casePenalty; continue }
            let fq = TextFolding.fold(q), fw = TextFolding.fold(w)
            if fq == fw { penalty += punctuationPenalty; continue }
            guard fq.count >= 4 else { return nil }
            let d = EditDistance.distance(fq, fw, limit: 1)
            guard d <= 1 else { return nil }
            penalty += errorPenalty(length: fq.count)
        }
        return 1 - penalty / Double(query.count)
    }

    /// Quality of letters-only text against the letters-only query, allowing `allowedErrors` edits.
    static func compactQuality(_ query: String, _ text: String, allowedErrors: Int) -> Double? {
        if query == text { return 1 - joinedPenalty }
        guard allowedErrors > 0 else { return nil }
        let d = EditDistance.distance(query, text, limit: allowedErrors)
        guard d <= allowedErrors else { return nil }
        return 1 - joinedPenalty - Double(d) * errorPenalty(length: query.count)
    }

    /// One OCR error costs more in a short word than in a long one.
    static func errorPenalty(length: Int) -> Double { 0.08 + 0.5 / Double(max(1, length)) }

    /// Greedy suppression: a candidate overlapping a better one by more than half its area is dropped.
    static func suppressOverlaps(_ sorted: [TextMatch]) -> [TextMatch] {
        var kept: [TextMatch] = []
        for m in sorted {
            let area = max(1, m.box.width * m.box.height)
            let overlaps = kept.contains { k in
                guard let i = k.box.intersection(m.box) else { return false }
                return i.width * i.height * 2 > min(area, max(1, k.box.width * k.box.height))
            }
            if !overlaps { kept.append(m) }
        }
        return kept
    }

    /// The recognised texts (whole lines and single words) most like `query`, most similar first, for
    /// "not found" messages.
    package static func closest(to query: String, in lines: [OCRLine], limit: Int = 5) -> [String] {
        let target = TextFolding.compact(query)
        guard !target.isEmpty else { return [] }
        var scored: [String: Double] = [:]
        for line in lines {
            var texts = [line.text] + line.words.map(\.text)
            // Spans as long as the query, too.
            let n = TextFolding.words(query).count
            if n > 1 && line.words.count > n {
                for i in 0...(line.words.count - n) { texts.append(line.words[i..<(i + n)].map(\.text).joined(separator: " ")) }
            }
            for text in texts {
                let c = TextFolding.compact(text)
                guard !c.isEmpty else { continue }
                let s = EditDistance.similarity(target, c)
                if s > (scored[text] ?? -1) { scored[text] = s }
            }
        }
        return scored.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .filter { $0.value > 0.3 }.prefix(limit).map(\.key)
    }
}
