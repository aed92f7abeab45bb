import DeskCore

/// Finds an image (an icon, a button cut from an earlier screenshot) on a screen by zero-mean normalised
/// cross-correlation on grayscale, which ignores uniform brightness and contrast changes.
///
/// Coarse to fine: both images are block-averaged by a power of two chosen so the template keeps at least
/// 12 pixels on its shorter side; every position is scored at that level (BLAS `sgemm`), the best distinct
/// peaks are kept as candidates, and each is re-scored at full resolution in a small neighbourhood. Scores
/// returned are always full-resolution scores.
public struct TemplateMatcher: Sendable {
    private let template: NCC.Template
    private let coarseTemplate: NCC.Template
    private let factor: Int

    /// The shorter template side kept at the coarse level: fewer pixels make peaks too unspecific.
    static let minimumCoarseSide = 12

    /// Prepares `template` (any format; converted to grayscale once).
    public init(template: Frame) {
        let plane = GrayPlane(template)
        self.template = NCC.Template(plane)
        var f = 1
        while f < 16 && min(plane.width, plane.height) / (f * 2) >= Self.minimumCoarseSide { f *= 2 }
        factor = f
        coarseTemplate = f == 1 ? self.template : NCC.Template(plane.downsampled(by: f))
    }

    /// The best match scoring at least `threshold`, or `nil` (also for an empty template or one larger than
    /// the screen).
    public func bestMatch(in screen: Frame, threshold: Double = 0.9) -> TemplateMatch? {
        matches(in: screen, threshold: threshold, limit: 1).first
    }

    /// Up to `limit` matches scoring at least `threshold`, best first, none overlapping another by more than
    /// 30 % of the template's area (neighbouring identical icons are all found; one icon is found once).
    public func matches(in screen: Frame, threshold: Double, limit: Int) -> [TemplateMatch] {
        guard limit > 0, template.width > 0, template.height > 0 else { return [] }
        let plane = GrayPlane(screen)
        guard plane.width >= template.width, plane.height >= template.height else { return [] }
        let found: [TemplateMatch]
        if factor == 1 {
            found = Self.peaks(NCC.scores(plane, template), width: template.width, height: template.height,
                               floor: threshold, limit: limit)
        } else {
            let coarse = plane.downsampled(by: factor)
            let candidates: [TemplateMatch]
            if coarse.width >= coarseTemplate.width, coarse.height >= coarseTemplate.height {
                // Block-averaging misaligned fine detail lowers coarse scores, so the floor is generous.
                candidates = Self.peaks(NCC.scores(coarse, coarseTemplate), width: coarseTemplate.width,
                                        height: coarseTemplate.height, floor: threshold - 0.5,
                                        limit: min(512, max(16, limit * 4)))
            } else {
                candidates = [TemplateMatch(rect: Rect(x: 0, y: 0, width: 0, height: 0), score: 0)]
            }
            let refined = candidates.compactMap { refine($0.rect.origin, in: plane) }
            found = Self.suppressed(refined.filter { $0.score >= threshold }.sorted { $0.score > $1.score },
                                    limit: limit)
        }
        return found
    }

    /// The best full-resolution match within `2 * factor` pixels of where coarse position `c` maps to.
    private func refine(_ c: Point, in plane: GrayPlane) -> TemplateMatch? {
        let radius = 2 * factor
        let maxX = plane.width - template.width, maxY = plane.height - template.height
        let x0 = max(0, min(maxX, c.x * factor - radius)), x1 = max(0, min(maxX, c.x * factor + radius))
        let y0 = max(0, min(maxY, c.y * factor - radius)), y1 = max(0, min(maxY, c.y * factor + radius))
        let crop = plane.crop(x: x0, y: y0, width: x1 - x0 + template.width, height: y1 - y0 + template.height)
        let map = NCC.scores(crop, template)
        guard let best = map.scores.indices.max(by: { map.scores[$0] < map.scores[$1] }) else { return nil }
        return TemplateMatch(rect: Rect(x: x0 + best % map.width, y: y0 + best / map.width,
                                        width: template.width, height: template.height),
                             score: Double(map.scores[best]))
    }

    /// Local maxima of `map` scoring at least `floor`, best first, after overlap suppression.
    static func peaks(_ map: NCC.ScoreMap, width: Int, height: Int, floor: Double, limit: Int) -> [TemplateMatch] {
        var found: [TemplateMatch] = []
        let w = map.width, h = map.height
        map.scores.withUnsafeBufferPointer { s in
            for y in 0..<h {
                for x in 0..<w {
                    let v = s[y * w + x]
                    guard Double(v) >= floor else { continue }
                    var isPeak = true
                    for dy in -1...1 where isPeak {
                        for dx in -1...1 where dx != 0 || dy != 0 {
                            let nx = x + dx, ny = y + dy
                            if nx >= 0, ny >= 0, nx < w, ny < h, s[ny * w + nx] > v { isPeak = false; break }
                        }
                    }
                    if isPeak {
                        found.append(TemplateMatch(rect: Rect(x: x, y: y, width: width, height: height),
                                                   score: Double(v)))
                    }
                }
            }
        }
        return suppressed(found.sorted { $0.score > $1.score }, limit: limit)
    }

    /// Greedy non-maximum suppression over matches sorted best first.
    static func suppressed(_ sorted: [TemplateMatch], limit: Int) -> [TemplateMatch] {
        var kept: [TemplateMatch] = []
        for m in sorted where kept.count < limit {
            let area = Double(m.rect.width * m.rect.height)
            let overlaps = kept.contains { k in
                guard let i = k.rect.intersection(m.rect) else { return false }
                return Double(i.width * i.height) > 0.3 * area
            }
            if !overlaps { kept.append(m) }
        }
        return kept
    }

    /// Full-resolution NCC at every position where the template fits (for tests and diagnostics).
    package func scoreMap(in screen: Frame) -> (width: Int, height: Int, scores: [Double]) {
        let map = NCC.scores(GrayPlane(screen), template)
        return (map.width, map.height, map.scores.map(Double.init))
    }

    /// The block-averaging factor of the coarse level (1 means no coarse level).
    package var coarseFactor: Int { factor }
}
