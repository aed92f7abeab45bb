import DeskCore
import DeskImaging
import Foundation
import Synchronization

/// Reads the text on a screen and finds where a query is, for `text:` targets, screen-text checks,
/// `deskpilot locate` and the offline `local` dialect.
///
/// Recognition is incremental. The screen is split into text regions (see ``TextRegionDetector``); each is
/// prepared for OCR and read by Tesseract on one of a few worker threads, and what it read is cached under
/// the prepared pixels. A later call first compares the new frame with the last one (or takes the changed
/// areas it is told, from DAMAGE): an unchanged screen returns the last result at once, and a changed one
/// reads again only the regions whose pixels changed, so results are the same as a cold run's.
///
/// A locate that finds nothing takes a second pass (``SecondReading``): the few small-text regions shaped
/// like the query are read again — enlarged more, as one word, thresholded — and a reading holding the
/// query is kept. Its readings are cached too, so asking again on the same screen reads nothing.
///
/// One instance serves one screen; calls are serialised. Nothing heavy happens until the first call.
public final class TextLocator: Sendable {
    public let languages: [String]
    private let pool: OCREnginePool
    private let detector = TextRegionDetector()
    private let preparer = RegionPreparer()
    private let secondPass: Bool
    /// What calls read and update; held for a whole call, so calls are serialised.
    private let state = Mutex(State())
    private struct State {
        var cache = RecognitionCache()
        var variantCache = RecognitionCache(capacity: 1024)
        /// The last screen: its lines, and each prepared region with the words read there (crop pixels),
        /// for the second pass.
        var last: (frame: Frame, area: Rect?, lines: [OCRLine], readings: [Reading])?
        var statistics = Statistics()
    }
    private struct Reading {
        var prepared: RegionPreparer.Prepared
        var words: [OCREngine.Word]
    }

    /// What the last `recognize` did, for benchmarks and tests.
    public struct Statistics: Sendable, Hashable {
        /// Regions found on the screen.
        public var regions = 0
        /// Regions read by OCR (the rest came from the cache).
        public var recognized = 0
        /// True when the screen had not changed and the previous result was returned whole.
        public var unchanged = false
        /// Region readings the last locate's second pass made (0 when it had none, or all were cached).
        public var reread = 0
    }

    /// - Parameters:
    ///   - languages: Tesseract language codes (`eng`, `deu`, `fra`, `rus`…), each needing its
    ///     `tesseract-ocr-<code>` data.
    ///   - workers: OCR threads (default: the processors available, at most 4).
    ///   - secondPass: read the small regions shaped like the query again when a locate finds nothing
    ///     (default on; off measures the first pass alone).
    public init(languages: [String] = ["eng"], workers: Int? = nil, secondPass: Bool = true) {
        self.secondPass = secondPass
        self.languages = languages.isEmpty ? ["eng"] : languages
        pool = OCREnginePool(languages: self.languages, workers: workers ?? OCREnginePool.defaultWorkers)
    }

    /// The statistics of the last ``recognize(_:changed:)`` or ``locate(_:in:windows:)``.
    public var lastStatistics: Statistics {
        state.withLock { $0.statistics }
    }

    /// True once OCR has been used (the models are loaded).
    public var isLoaded: Bool { pool.isLoaded }

    /// Forgets everything read so far (the next call is a cold run).
    public func clearCache() {
        state.withLock { state in
            state.cache.removeAll()
            state.variantCache.removeAll()
            state.last = nil
        }
    }

    /// The text lines on `frame`, in root-window pixels, top to bottom.
    /// - Parameter changed: the areas (root-window pixels) that changed since the previous call, when the
    ///   caller knows them (DAMAGE); otherwise the frame is compared with the previous one tile by tile.
    public func recognize(_ frame: Frame, changed: [Rect]? = nil) throws -> [OCRLine] {
        try recognize(frame, changed: changed, area: nil)
    }

    /// Lines on `frame` meeting `area` (root-window pixels; nil for the whole frame).
    func recognize(_ frame: Frame, changed: [Rect]?, area: Rect?) throws -> [OCRLine] {
        if frame.isEmpty { throw InputError("cannot read text from an empty frame (\(frame.width)x\(frame.height))") }
        return try state.withLock { try recognize(frame, changed: changed, area: area, in: &$0) }
    }

    /// ``recognize(_:changed:area:)`` with the state locked.
    private func recognize(_ frame: Frame, changed: [Rect]?, area: Rect?, in state: inout State) throws -> [OCRLine] {
        let localArea = area.flatMap { a in
            Rect(x: a.x - frame.origin.x, y: a.y - frame.origin.y, width: a.width, height: a.height)
                .intersection(Rect(x: 0, y: 0, width: frame.width, height: frame.height))
        }
        if area != nil && localArea == nil { return [] }
        if let last = state.last, last.frame.width == frame.width, last.frame.height == frame.height,
           last.frame.origin == frame.origin, Self.covers(last.area, area) {
            let changes = changed ?? (Self.samePixels(last.frame, frame) ? [] : TileDiff.changedTiles(last.frame, frame, tile: 64)).map {
                Rect(x: $0.x + frame.origin.x, y: $0.y + frame.origin.y, width: $0.width, height: $0.height)
            }
            let relevant = area.map { a in changes.filter { $0.intersection(a) != nil } } ?? changes
            if relevant.isEmpty {
                state.statistics = Statistics(regions: state.statistics.regions, recognized: 0, unchanged: true)
                state.last = (frame, last.area, last.lines, last.readings)
                return area.map { a in last.lines.filter { $0.box.intersection(a) != nil } } ?? last.lines
            }
        }
        let gray = GrayImage(frame)
        let regions = detector.detect(gray, within: localArea)
        let prepared = regions.compactMap { preparer.prepare($0, of: gray) }
        var results = [[OCREngine.Word]?](repeating: nil, count: prepared.count)
        var missing: [Int] = []
        var seen: [UInt64: Int] = [:]
        for (i, p) in prepared.enumerated() {
            if let words = state.cache.lookup(p.key) {
                results[i] = words
            } else if seen[p.key] == nil {
                seen[p.key] = i
                missing.append(i)
            }
        }
        let read = try pool.recognize(missing.map { prepared[$0] })
        for (index, words) in zip(missing, read) {
            results[index] = words
            state.cache.store(words, for: prepared[index].key)
        }
        var lines: [OCRLine] = []
        var readings: [Reading] = []
        for (i, p) in prepared.enumerated() {
            let words = results[i] ?? seen[p.key].flatMap { results[$0] } ?? []
            lines += Self.lines(from: words, crop: p.crop, origin: frame.origin)
            readings.append(Reading(prepared: p, words: words))
        }
        lines.sort { ($0.box.y, $0.box.x) < ($1.box.y, $1.box.x) }
        state.statistics = Statistics(regions: prepared.count, recognized: missing.count, unchanged: false)
        state.last = (frame, area, lines, readings)
        return lines
    }

    /// Every place matching `query` on `frame`, ranked (best first, or nearest to the `near` anchor first;
    /// with `nth`, only that match). `windows` (bottom to top) resolve `within` a window and tell which window
    /// is on top where windows overlap.
    /// - Throws: ``LocateFailure`` when the `within` window or the `near` anchor is not there;
    ///   `EnvironmentError` when the OCR data is missing.
    public func locate(_ query: TextQuery, in frame: Frame, windows: [WindowBox]) throws -> [TextMatch] {
        let area = try query.within?.area(windows: windows)
        let lines = try recognize(frame, changed: nil, area: area)
        func matching(_ lines: [OCRLine]) -> [TextMatch] {
            TextMatcher.matches(query.text, in: lines)
                .filter { $0.score >= query.minimumScore && (query.within?.contains($0.point, windows: windows) ?? true) }
        }
        var found = matching(lines)
        if found.isEmpty && secondPass {
            found = matching(try reread(for: query.text, area: area) { !matching($0).isEmpty })
        }
        if let near = query.near {
            guard let anchor = TextMatcher.matches(near, in: lines).first(where: { $0.score >= query.minimumScore }) else {
                throw LocateFailure("the --near text '\(near)' is not on the screen",
                                    closest: TextMatcher.closest(to: near, in: lines))
            }
            found = found.filter { $0.box.intersection(anchor.box) == nil }
            func distance(_ m: TextMatch) -> Int {
                let dx = m.point.x - anchor.point.x, dy = m.point.y - anchor.point.y
                return dx * dx + dy * dy
            }
            found.sort { distance($0) != distance($1) ? distance($0) < distance($1) : TextMatcher.ranked($0, $1) }
        }
        if let nth = query.nth {
            let ordered = found.sorted(by: TextMatcher.readingOrder)
            return nth >= 1 && nth <= ordered.count ? [ordered[nth - 1]] : []
        }
        return found
    }

    /// The second pass (``SecondReading``): lines from the last screen's candidate regions for `text`, read
    /// again variant by variant until `accept` takes them; empty when none does.
    private func reread(for text: String, area: Rect?, accept: ([OCRLine]) -> Bool) throws -> [OCRLine] {
        try state.withLock { try reread(for: text, area: area, accept: accept, in: &$0) }
    }

    /// ``reread(for:area:accept:)`` with the state locked.
    private func reread(for text: String, area: Rect?, accept: ([OCRLine]) -> Bool,
                        in state: inout State) throws -> [OCRLine] {
        state.statistics.reread = 0
        guard let last = state.last else { return [] }
        let origin = last.frame.origin
        let local = area.map { Rect(x: $0.x - origin.x, y: $0.y - origin.y, width: $0.width, height: $0.height) }
        let candidates = last.readings.enumerated().compactMap { i, r -> SecondReading.Candidate? in
            if let local, r.prepared.crop.intersection(local) == nil { return nil }
            return SecondReading.Candidate(index: i, lineHeight: r.prepared.lineHeight,
                                           inkWidth: max(1, r.prepared.crop.width - 2 * preparer.margin),
                                           isBlock: r.prepared.layout == .block,
                                           text: r.words.map(\.text).joined(separator: " "))
        }
        let chosen = SecondReading.candidates(for: text, among: candidates)
        guard !chosen.isEmpty else { return [] }
        for variant in SecondReading.variants {
            var words = [[OCREngine.Word]?](repeating: nil, count: chosen.count)
            var jobs: [(slot: Int, job: RegionPreparer.Prepared)] = []
            for (slot, index) in chosen.enumerated() {
                let base = last.readings[index].prepared
                if let cached = state.variantCache.lookup(base.key ^ variant.salt) {
                    words[slot] = cached
                } else {
                    jobs.append((slot, SecondReading.render(base, as: variant)))
                }
            }
            let read = try pool.recognize(jobs.map(\.job))
            state.statistics.reread += jobs.count
            for ((slot, job), found) in zip(jobs, read) {
                words[slot] = found
                state.variantCache.store(found, for: job.key)
            }
            var lines: [OCRLine] = []
            for (slot, index) in chosen.enumerated() {
                lines += Self.lines(from: words[slot] ?? [], crop: last.readings[index].prepared.crop, origin: origin)
            }
            if accept(lines) { return lines }
        }
        // No reading holds the text exactly enough. The one region whose readings come closest, when it is
        // within SecondReading.closeEdits of the query and no other region is as close, is taken as the
        // query, at a low confidence (its matches score 0.75).
        var distances: [(index: Int, distance: Int)] = []
        for index in chosen {
            let base = last.readings[index].prepared
            var texts = [last.readings[index].words.map(\.text).joined(separator: " ")]
            for variant in SecondReading.variants {
                if let words = state.variantCache.lookup(base.key ^ variant.salt) { texts.append(words.map(\.text).joined(separator: " ")) }
            }
            distances.append((index, SecondReading.closestDistance(of: text, in: texts)))
        }
        distances.sort { $0.distance < $1.distance }
        guard let best = distances.first, best.distance <= SecondReading.closeEdits(for: text),
              distances.count == 1 || distances[1].distance > best.distance else { return [] }
        let crop = last.readings[best.index].prepared.crop
        let m = preparer.margin
        let box = Rect(x: crop.x + m + origin.x, y: crop.y + m + origin.y, width: max(1, crop.width - 2 * m),
                       height: max(1, crop.height - 2 * m))
        let lines = [OCRLine(words: [OCRWord(text: text, box: box, confidence: 0)])]
        return accept(lines) ? lines : []
    }

    /// Texts recognised on the last screen that come closest to `text` (for "not found" messages).
    public func closestTexts(to text: String, limit: Int = 5) -> [String] {
        state.withLock { TextMatcher.closest(to: text, in: $0.last?.lines ?? [], limit: limit) }
    }

    /// Byte-identical frames of the same layout: the common case of an unchanged screen, checked with one
    /// `memcmp` before the tile-by-tile comparison.
    static func samePixels(_ a: Frame, _ b: Frame) -> Bool {
        guard a.format == b.format, a.stride == b.stride, a.pixels.count == b.pixels.count else { return false }
        return a.pixels.withUnsafeBytes { pa in
            b.pixels.withUnsafeBytes { pb in
                guard let x = pa.baseAddress, let y = pb.baseAddress else { return pa.count == pb.count }
                return memcmp(x, y, pa.count) == 0
            }
        }
    }

    /// Whether a result for `previous` (nil = whole screen) also answers a call for `requested`.
    private static func covers(_ previous: Rect?, _ requested: Rect?) -> Bool {
        guard let previous else { return true }
        guard let requested else { return false }
        return previous.contains(requested)
    }

    /// Groups a region's words (boxes in `crop` pixels) into lines in root-window pixels.
    static func lines(from words: [OCREngine.Word], crop: Rect, origin: Point) -> [OCRLine] {
        var byLine: [Int: [OCRWord]] = [:]
        for word in words {
            // Lone punctuation with low confidence is a border or an icon read as text.
            if !word.text.contains(where: { $0.isLetter || $0.isNumber }) && word.confidence < 60 { continue }
            let box = word.box
            byLine[word.line, default: []].append(
                OCRWord(text: word.text, box: Rect(x: box.x + crop.x + origin.x, y: box.y + crop.y + origin.y,
                                                   width: box.width, height: box.height),
                        confidence: word.confidence / 100))
        }
        return byLine.keys.sorted().compactMap { key in
            guard let words = byLine[key], !words.isEmpty else { return nil }
            return OCRLine(words: words.sorted { $0.box.x < $1.box.x })
        }
    }
}
