import DeskCore

/// Finds an image (an icon, a button cut from an earlier screenshot) on a screen by zero-mean normalised
/// cross-correlation on grayscale, which ignores uniform brightness and contrast changes.
///
/// Coarse to fine. The screen is block-averaged by a power of two `f`, chosen so the template keeps at
/// least 8 pixels on its shorter side. Block-averaging blurs differently depending on where the template
/// sits relative to the block grid, which ruins coarse scores of text and thin lines, so the template is
/// averaged once for each of the f² grid phases; the phase that matches the true position reproduces the
/// coarse screen exactly. All phases are scored in one BLAS `sgemm` per band. The best distinct coarse
/// peaks are then re-scored at full resolution in a small neighbourhood. Returned scores are always
/// full-resolution scores.
public struct TemplateMatcher: Sendable {
    /// One block-grid phase of the template: the block-averaged template whose blocks start at this offset.
    private struct Phase: Sendable {
        var offsetX: Int
        var offsetY: Int
        var coarse: NCC.Template
    }

    private let template: NCC.Template
    private let phases: [Phase]
    private let factor: Int

    /// The shorter side the coarse template keeps: fewer samples make coarse peaks too unspecific.
    static let minimumCoarseSide = 8

    /// Prepares `template` (any format; converted to grayscale once).
    public init(template: Frame) {
        let plane = GrayPlane(template)
        self.template = NCC.Template(plane)
        let shorter = min(plane.width, plane.height)
        var f = 1
        while f < 8 && (shorter - (2 * f - 1)) / (2 * f) >= Self.minimumCoarseSide { f *= 2 }
        factor = f
        guard f > 1 else {
            phases = []
            return
        }
        // Every phase uses the same coarse size, so all fit one sgemm.
        let cw = (plane.width - (f - 1)) / f, ch = (plane.height - (f - 1)) / f
        var phases: [Phase] = []
        for oy in 0..<f {
            for ox in 0..<f {
                let part = plane.crop(x: ox, y: oy, width: cw * f, height: ch * f).downsampled(by: f)
                phases.append(Phase(offsetX: ox, offsetY: oy, coarse: NCC.Template(part)))
            }
        }
        self.phases = phases
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
        guard factor > 1 else {
            return Self.peaks(NCC.scores(plane, template), width: template.width, height: template.height,
                              floor: threshold, limit: limit)
        }
        let coarse = plane.downsampled(by: factor)
        let maps = NCC.scores(coarse, phases.map(\.coarse))
        var candidates: [TemplateMatch] = []
        let maxX = plane.width - template.width, maxY = plane.height - template.height
        // The right phase reproduces a true match's coarse score closely; the margin covers near matches.
        let floor = threshold - 0.25
        let perPhase = min(512, max(16, limit * 4))
        for (phase, map) in zip(phases, maps) {
            for peak in Self.peaks(map, width: 1, height: 1, floor: floor, limit: perPhase) {
                let x = peak.rect.x * factor - phase.offsetX, y = peak.rect.y * factor - phase.offsetY
                candidates.append(TemplateMatch(
                    rect: Rect(x: max(0, min(maxX, x)), y: max(0, min(maxY, y)),
                               width: template.width, height: template.height),
                    score: peak.score))
            }
        }
        let best = Self.suppressed(candidates.sorted { $0.score > $1.score }, limit: perPhase)
        let refined = best.compactMap { refine($0.rect.origin, in: plane) }
        return Self.suppressed(refined.filter { $0.score >= threshold }.sorted { $0.score > $1.score },
                               limit: limit)
    }

    /// The best full-resolution match within `factor / 2` pixels (at least 1) of `p`.
    private func refine(_ p: Point, in plane: GrayPlane) -> TemplateMatch? {
        let radius = max(1, factor / 2)
        let maxX = plane.width - template.width, maxY = plane.height - template.height
        let x0 = max(0, p.x - radius), x1 = min(maxX, p.x + radius)
        let y0 = max(0, p.y - radius), y1 = min(maxY, p.y + radius)
        let crop = plane.crop(x: x0, y: y0, width: x1 - x0 + template.width, height: y1 - y0 + template.height)
        let map = NCC.scores(crop, template)
        guard let best = map.scores.indices.max(by: { map.scores[$0] < map.scores[$1] }) else { return nil }
        return TemplateMatch(rect: Rect(x: x0 + best % map.width, y: y0 + best / map.width,
                                        width: template.width, height: template.height),
                             score: Double(map.scores[best]))
    }

    /// Local maxima of `map` scoring at least `floor`, best first, after overlap suppression of
    /// `width` x `height` rectangles.
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
