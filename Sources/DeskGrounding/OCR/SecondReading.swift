import DeskCore

/// The second pass of a text locate that found nothing: the regions shaped like the wanted text are read
/// again in other ways — enlarged more, as one word, and thresholded at the region's own mid level — and a
/// reading that holds the text is kept.
///
/// Small UI text (8–12 px) is where Tesseract's first reading most often goes wrong on one letter of a
/// short word ("Help" read as "Heip", "Undo" as "Undc"); the word's region is there, of the right size, but
/// its reading does not match. A second reading of those few regions finds it at a cost paid only when a
/// locate would otherwise fail, and readings are cached, so asking again on the same screen is as fast as
/// the first pass's cache.
enum SecondReading {
    /// Regions read again at most, the likeliest first.
    static let maximumCandidates = 6
    /// Regions taller than this (source pixels) are not small text: their first reading stands.
    static let maximumLineHeight = 22

    /// One way of reading a region again.
    struct Variant: Sendable, Hashable {
        var scale: Double
        var layout: OCREngine.Layout
        /// Grey level (of the normalised crop: ink 0, background 255) at and below which a pixel becomes
        /// ink; nil keeps the grey levels.
        var threshold: UInt8?
        /// Mixed into the region's cache key.
        var salt: UInt64
    }

    static let variants = [
        Variant(scale: 3.5, layout: .line, threshold: nil, salt: 0xA1B2_C3D4_0000_0001),
        Variant(scale: 3.0, layout: .word, threshold: nil, salt: 0xA1B2_C3D4_0000_0002),
        Variant(scale: 3.0, layout: .line, threshold: 150, salt: 0xA1B2_C3D4_0000_0003),
        Variant(scale: 5.0, layout: .line, threshold: nil, salt: 0xA1B2_C3D4_0000_0004),
    ]

    /// What the first pass knew of a region: its ink size and what it read there.
    struct Candidate: Sendable {
        var index: Int
        var lineHeight: Int
        var inkWidth: Int
        var isBlock: Bool
        var text: String
    }

    /// The regions worth reading again for `query`, best first: small single lines about as wide as the
    /// query's letters would be at their height (0.35–1.2 of the height per letter), whose reading is
    /// empty or within a few edits of the query.
    static func candidates(for query: String, among regions: [Candidate]) -> [Int] {
        let wanted = TextFolding.compact(query)
        let letters = wanted.count
        guard letters > 0 else { return [] }
        var ranked: [(index: Int, distance: Int, fit: Double)] = []
        for r in regions where !r.isBlock && r.lineHeight <= maximumLineHeight && r.lineHeight >= 5 {
            let expected = Double(r.lineHeight) * Double(letters)
            let fit = Double(r.inkWidth) / expected
            guard fit >= 0.3, fit <= 1.3 else { continue }
            let read = TextFolding.compact(r.text)
            let limit = max(2, letters / 2)
            let distance = EditDistance.distance(read, wanted, limit: limit)
            guard distance <= limit else { continue }
            ranked.append((r.index, distance, abs(fit - 0.6)))
        }
        ranked.sort { ($0.distance, $0.fit) < ($1.distance, $1.fit) }
        return ranked.prefix(maximumCandidates).map(\.index)
    }

    /// Edits (on the letters, case and spaces ignored) within which the closest region's reading is taken
    /// as the query when no reading matches outright: about one in four letters, none below three letters.
    static func closeEdits(for query: String) -> Int {
        let n = TextFolding.compact(query).count
        return n >= 8 ? 3 : (n >= 5 ? 2 : (n >= 3 ? 1 : 0))
    }

    /// The fewest edits between the query's letters and any of `readings`' letters.
    static func closestDistance(of query: String, in readings: [String]) -> Int {
        let wanted = TextFolding.compact(query)
        return readings.map { EditDistance.distance(TextFolding.compact($0), wanted, limit: wanted.count) }.min() ?? .max
    }

    /// `prepared` re-rendered for `variant`: its normalised crop enlarged, optionally thresholded, bordered.
    static func render(_ prepared: RegionPreparer.Prepared, as variant: Variant) -> RegionPreparer.Prepared {
        var normalized = prepared.normalized
        var copy = prepared
        if let t = variant.threshold {
            // Enlarge first, then threshold: the edges of small glyphs keep their shape.
            let scaled = normalized.resized(width: Int((Double(normalized.width) * variant.scale).rounded()),
                                            height: Int((Double(normalized.height) * variant.scale).rounded()))
            var pixels = scaled.pixels
            for i in pixels.indices { pixels[i] = pixels[i] <= t ? 0 : 255 }
            copy.image = GrayImage(width: scaled.width, height: scaled.height, pixels: pixels).padded(by: prepared.border, fill: 255)
        } else {
            normalized = prepared.normalized
            copy.image = RegionPreparer.Prepared.render(normalized, scale: variant.scale, border: prepared.border)
        }
        copy.scale = variant.scale
        copy.layout = variant.layout
        // No further retry inside the pool: this is the retry.
        copy.lineHeight = Int.max
        copy.key = prepared.key ^ variant.salt
        return copy
    }
}
