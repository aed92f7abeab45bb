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

    /// A text in the forms the comparisons use, computed once per word.
    struct Forms {
        var text: String
        var folded: String
        var compact: String
        var shapes: String

        init(_ text: String) {
            self.text = text
            folded = TextFolding.fold(text)
            compact = TextFolding.compact(text)
            shapes = TextFolding.shapes(text)
        }
    }

    /// Every place in `lines` where `query` matches, best first, overlapping places reduced to the best.
    package static func matches(_ query: String, in lines: [OCRLine]) -> [TextMatch] {
        let queryWords = TextFolding.words(query).map(Forms.init)
        guard !queryWords.isEmpty else { return [] }
        let whole = Forms(query)
        // Letters-only comparison cannot tell which word an error is in, so it tolerates errors only when
        // every word would (a wrong short word must not pass on a long word's allowance).
        let perWord = queryWords.map { TextFolding.allowedErrors(length: $0.compact.count) }
        let allowedErrors = perWord.contains(0) ? 0 : min(3, perWord.reduce(0, +))
        let compactLength = whole.compact.count
        var found: [TextMatch] = []
        for run in runs(lines) {
            let words = run.words
            let forms = words.map { Forms($0.text) }
            let lengths = forms.map(\.compact.count)
            for start in words.indices {
                var best: (quality: Double, end: Int)?
                // Word by word, same number of words.
                let end = start + queryWords.count
                if end <= words.count, let q = alignedQuality(queryWords, forms[start..<end]) {
                    best = (q, end)
                }
                // Split or joined differently: compare the letters only, over nearby word counts.
                if (best?.quality ?? 0) < 1 - joinedPenalty, !whole.compact.isEmpty {
                    let lo = max(1, queryWords.count - 2), hi = min(words.count - start, queryWords.count + 2)
                    var letters = 0
                    if lo <= hi {
                        for count in 1...hi {
                            letters += lengths[start + count - 1]
                            guard count >= lo else { continue }
                            // Too short or too long to be within the allowed edits.
                            if letters + allowedErrors < compactLength { continue }
                            if letters > compactLength + allowedErrors { break }
                            let span = forms[start..<(start + count)]
                            guard let q = compactQuality(whole, span, allowedErrors: allowedErrors) else { continue }
                            if q > (best?.quality ?? -1) { best = (q, start + count) }
                        }
                    }
                }
                guard let chosen = best else { continue }
                var quality = chosen.quality
                let stop = chosen.end
                if !run.starts.contains(start) || !run.ends.contains(stop - 1) { quality *= partialFactor }
                let span = Array(words[start..<stop])
                let confidence = span.map(\.confidence).reduce(0, +) / Double(span.count)
                let score = quality * (0.75 + 0.25 * max(0, min(1, confidence)))
                found.append(TextMatch(text: span.map(\.text).joined(separator: " "),
                                       box: OCRLine.union(span.map(\.box)), score: score))
            }
        }
        return suppressOverlaps(found.sorted(by: ranked))
    }

    /// Words of lines that continue one another, with the indices where each original line starts and ends.
    struct Run {
        var words: [OCRWord]
        var starts: Set<Int>
        var ends: Set<Int>
    }

    /// Joins lines that sit on the same baseline with a gap of at most 1.5 line heights: region detection
    /// splits at wide spaces (a monospaced `Zoom In`), and a phrase may span the pieces.
    static func runs(_ lines: [OCRLine]) -> [Run] {
        var runs: [(run: Run, last: Rect)] = []
        for line in lines.filter({ !$0.words.isEmpty }).sorted(by: { $0.box.x < $1.box.x }) {
            let box = line.box
            let next = runs.indices.first { i in
                let last = runs[i].last
                let overlap = min(last.maxY, box.maxY) - max(last.y, box.y)
                let gap = box.x - last.maxX
                let height = max(last.height, box.height)
                return overlap * 2 >= min(last.height, box.height) && gap >= -2 && Double(gap) <= 1.5 * Double(height)
            }
            if let i = next {
                let offset = runs[i].run.words.count
                runs[i].run.words += line.words
                runs[i].run.starts.insert(offset)
                runs[i].run.ends.insert(offset + line.words.count - 1)
                runs[i].last = box
            } else {
                runs.append((Run(words: line.words, starts: [0], ends: [line.words.count - 1]), box))
            }
        }
        return runs.map(\.run)
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
    static func alignedQuality(_ query: [Forms], _ span: ArraySlice<Forms>) -> Double? {
        var penalty = 0.0
        for (q, w) in zip(query, span) {
            if q.text == w.text { continue }
            if q.folded == w.folded {
                penalty += q.text.lowercased() == w.text.lowercased() ? casePenalty : punctuationPenalty
                continue
            }
            let length = q.folded.count
            let allowed = TextFolding.allowedErrors(length: length)
            guard allowed > 0 else { return nil }
            let d = EditDistance.distance(q.folded, w.folded, limit: allowed)
            if d <= allowed {
                penalty += Double(d) * errorPenalty(length: length)
                continue
            }
            // Confusable glyphs (rn/m, 1/l, 0/o) count as one error in all.
            let ds = EditDistance.distance(q.shapes, w.shapes, limit: allowed - 1)
            guard ds <= allowed - 1 else { return nil }
            penalty += Double(ds + 1) * errorPenalty(length: length)
        }
        return 1 - penalty / Double(query.count)
    }

    /// Quality of the letters of `span` against the letters-only query, allowing `allowedErrors` edits
    /// (confusable glyphs counting as one error in all).
    static func compactQuality(_ query: Forms, _ span: ArraySlice<Forms>, allowedErrors: Int) -> Double? {
        let text = span.map(\.compact).joined()
        if query.compact == text { return 1 - joinedPenalty }
        guard allowedErrors > 0 else { return nil }
        let length = query.compact.count
        let d = EditDistance.distance(query.compact, text, limit: allowedErrors)
        if d <= allowedErrors { return 1 - joinedPenalty - Double(d) * errorPenalty(length: length) }
        let ds = EditDistance.distance(query.shapes, span.map(\.shapes).joined(), limit: allowedErrors - 1)
        guard ds <= allowedErrors - 1 else { return nil }
        return 1 - joinedPenalty - Double(ds + 1) * errorPenalty(length: length)
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
