import DeskCore

/// Finds where text is on a screen, cheaply, so OCR reads only those parts.
///
/// Screen text is crisp: its strokes make short, dense brightness steps. The detector marks pixels whose
/// right or lower neighbour differs by more than ``edgeThreshold``, drops steps that form long straight runs
/// (window borders, separators, the frame of a button or text field), and groups what remains on a grid of
/// ``cell``-pixel cells, joining cells across small horizontal gaps (letters and the spaces between words)
/// but not across larger ones (separate buttons). Each group is then cut into lines at empty pixel rows.
struct TextRegionDetector: Sendable {
    /// Minimum grey-level step counted as an edge.
    var edgeThreshold = 32
    /// Grid cell side in pixels.
    var cell = 4
    /// Horizontal runs of edges at least this long are rules or borders, not text.
    var longHorizontalRun = 40
    /// Vertical runs of edges at least this long are borders (text stems at 9–16 px are shorter).
    var longVerticalRun = 20
    /// Empty cells a group may bridge horizontally (about a word space at 16 px).
    var bridgeCells = 2
    /// Regions smaller than this on either side are noise.
    var minimumSide = 4
    /// Bands with a larger share of edge pixels are pictures, not text.
    var maximumDensity = 0.45

    /// Text regions of `image`, optionally only those meeting `area` (image pixels), top to bottom.
    func detect(_ image: GrayImage, within area: Rect? = nil) -> [TextRegion] {
        let w = image.width, h = image.height
        guard w >= 2, h >= 2 else { return [] }
        let bounds = Rect(x: 0, y: 0, width: w, height: h)
        // Work on the requested area plus a margin, so a region cut by its edge is still found whole.
        let work = area.flatMap { a in
            Rect(x: a.x - 64, y: a.y - 32, width: a.width + 128, height: a.height + 64).intersection(bounds)
        } ?? bounds
        let edges = edgeMask(image, in: work)
        let groups = groupCells(edges, in: work)
        var regions: [TextRegion] = []
        for group in groups {
            regions += split(group, edges: edges, in: work)
        }
        if let area { regions = regions.filter { $0.rect.intersection(area) != nil } }
        return regions.sorted { ($0.rect.y, $0.rect.x) < ($1.rect.y, $1.rect.x) }
    }

    /// The edge mask of `work` (1 = edge), indexed in `work`'s own coordinates, long runs removed.
    func edgeMask(_ image: GrayImage, in work: Rect) -> [UInt8] {
        let w = work.width, h = work.height, iw = image.width, ih = image.height
        let t = edgeThreshold
        var dx = [UInt8](repeating: 0, count: w * h)  // step to the right neighbour
        var dy = [UInt8](repeating: 0, count: w * h)  // step to the lower neighbour
        image.pixels.withUnsafeBufferPointer { g in
            dx.withUnsafeMutableBufferPointer { mx in
                dy.withUnsafeMutableBufferPointer { my in
                    for y in 0..<h {
                        let gy = work.y + y
                        let row = gy * iw + work.x
                        let below = gy + 1 < ih ? row + iw : -1
                        for x in 0..<w {
                            let v = Int(g[row + x])
                            if work.x + x + 1 < iw, abs(v - Int(g[row + x + 1])) > t { mx[y * w + x] = 1 }
                            if below >= 0, abs(v - Int(g[below + x])) > t { my[y * w + x] = 1 }
                        }
                    }
                }
            }
        }
        // Horizontal borders make long runs in dy; vertical borders make long runs in dx.
        dy.withUnsafeMutableBufferPointer { my in
            for y in 0..<h {
                var x = 0
                let row = y * w
                while x < w {
                    guard my[row + x] != 0 else { x += 1; continue }
                    var end = x
                    while end < w && my[row + end] != 0 { end += 1 }
                    if end - x >= longHorizontalRun { for i in x..<end { my[row + i] = 0 } }
                    x = end
                }
            }
        }
        dx.withUnsafeMutableBufferPointer { mx in
            for x in 0..<w {
                var y = 0
                while y < h {
                    guard mx[y * w + x] != 0 else { y += 1; continue }
                    var end = y
                    while end < h && mx[end * w + x] != 0 { end += 1 }
                    if end - y >= longVerticalRun { for i in y..<end { mx[i * w + x] = 0 } }
                    y = end
                }
            }
        }
        for i in 0..<(w * h) { dx[i] |= dy[i] }
        return dx
    }

    /// A connected group of cells: its box in `work` coordinates (pixels, cell-aligned, clipped).
    struct CellGroup: Sendable, Hashable {
        var rect: Rect
    }

    /// Groups cells holding at least two edge pixels; cells join their neighbours below (8-connected) and
    /// the next occupied cell to the right across up to ``bridgeCells`` empty ones.
    func groupCells(_ edges: [UInt8], in work: Rect) -> [CellGroup] {
        let w = work.width, h = work.height, c = cell
        let cw = (w + c - 1) / c, ch = (h + c - 1) / c
        var on = [Bool](repeating: false, count: cw * ch)
        edges.withUnsafeBufferPointer { e in
            for cy in 0..<ch {
                let y0 = cy * c, y1 = min(h, y0 + c)
                for cx in 0..<cw {
                    let x0 = cx * c, x1 = min(w, x0 + c)
                    var count = 0
                    for y in y0..<y1 {
                        let row = y * w
                        for x in x0..<x1 { count += Int(e[row + x]) }
                    }
                    if count >= 2 { on[cy * cw + cx] = true }
                }
            }
        }
        var parent = [Int32](repeating: -1, count: cw * ch)
        func find(_ i: Int) -> Int {
            var r = i
            while parent[r] != Int32(r) { r = Int(parent[r]) }
            var j = i
            while parent[j] != Int32(r) { let n = Int(parent[j]); parent[j] = Int32(r); j = n }
            return r
        }
        func union(_ a: Int, _ b: Int) {
            let ra = find(a), rb = find(b)
            if ra != rb { parent[max(ra, rb)] = Int32(min(ra, rb)) }
        }
        for i in 0..<(cw * ch) where on[i] { parent[i] = Int32(i) }
        for cy in 0..<ch {
            for cx in 0..<cw where on[cy * cw + cx] {
                let i = cy * cw + cx
                var k = 1
                while k <= bridgeCells + 1 && cx + k < cw {
                    if on[i + k] { union(i, i + k); break }
                    k += 1
                }
                if cy + 1 < ch {
                    for d in -1...1 {
                        let nx = cx + d
                        if nx >= 0 && nx < cw && on[i + cw + d] { union(i, i + cw + d) }
                    }
                }
            }
        }
        var boxes: [Int: (x0: Int, y0: Int, x1: Int, y1: Int)] = [:]
        for cy in 0..<ch {
            for cx in 0..<cw where on[cy * cw + cx] {
                let r = find(cy * cw + cx)
                if let b = boxes[r] {
                    boxes[r] = (min(b.x0, cx), min(b.y0, cy), max(b.x1, cx), max(b.y1, cy))
                } else {
                    boxes[r] = (cx, cy, cx, cy)
                }
            }
        }
        return boxes.values.map { b in
            let x = b.x0 * c, y = b.y0 * c
            return CellGroup(rect: Rect(x: x, y: y, width: min(w, (b.x1 + 1) * c) - x, height: min(h, (b.y1 + 1) * c) - y))
        }
    }

    /// Cuts a group into text lines at empty pixel rows and tightens each to its edges (image coordinates).
    func split(_ group: CellGroup, edges: [UInt8], in work: Rect) -> [TextRegion] {
        let w = work.width
        let r = group.rect
        var rowCounts = [Int](repeating: 0, count: r.height)
        edges.withUnsafeBufferPointer { e in
            for y in 0..<r.height {
                let row = (r.y + y) * w + r.x
                var n = 0
                for x in 0..<r.width { n += Int(e[row + x]) }
                rowCounts[y] = n
            }
        }
        // Runs of non-empty rows.
        var bands: [(start: Int, end: Int)] = []
        var y = 0
        while y < r.height {
            guard rowCounts[y] > 0 else { y += 1; continue }
            var end = y
            while end < r.height && rowCounts[end] > 0 { end += 1 }
            bands.append((y, end))
            y = end
        }
        guard !bands.isEmpty else { return [] }
        // A thin band close to a taller neighbour is part of it (the dot of an i, an accent, a descender
        // cut off by a gap): join it to the nearer neighbour when the gap is at most 3 rows.
        var merged = true
        while merged && bands.count > 1 {
            merged = false
            let tallest = bands.map { $0.end - $0.start }.max() ?? 0
            for i in bands.indices {
                let height = bands[i].end - bands[i].start
                guard height * 10 < tallest * 4 else { continue }
                let gapUp = i > 0 ? bands[i].start - bands[i - 1].end : Int.max
                let gapDown = i + 1 < bands.count ? bands[i + 1].start - bands[i].end : Int.max
                if min(gapUp, gapDown) > 3 { continue }
                if gapUp <= gapDown {
                    bands[i - 1].end = bands[i].end
                } else {
                    bands[i + 1].start = bands[i].start
                }
                bands.remove(at: i)
                merged = true
                break
            }
        }
        let lineHeights = bands.map { $0.end - $0.start }.sorted()
        let typical = lineHeights[lineHeights.count / 2]
        var regions: [TextRegion] = []
        for band in bands {
            let height = band.end - band.start
            // Tighten horizontally to this band's own edges.
            var x0 = r.width, x1 = -1, count = 0
            edges.withUnsafeBufferPointer { e in
                for y in band.start..<band.end {
                    let row = (r.y + y) * w + r.x
                    for x in 0..<r.width where e[row + x] != 0 {
                        if x < x0 { x0 = x }
                        if x > x1 { x1 = x }
                        count += 1
                    }
                }
            }
            guard x1 >= x0 else { continue }
            let width = x1 - x0 + 1
            guard width >= minimumSide, height >= minimumSide else { continue }
            if Double(count) > maximumDensity * Double(width * height) && height > 24 { continue }
            let isBlock = height > 40 && Double(height) > 2.2 * Double(typical)
            // An edge at x marks a step between x and x+1 (and y, y+1): the ink spans one more pixel.
            let rect = Rect(x: work.x + r.x + x0, y: work.y + r.y + band.start, width: width + 1, height: height + 1)
            regions.append(TextRegion(rect: rect, lineHeight: isBlock ? min(typical, 24) : height + 1, isBlock: isBlock))
        }
        return regions
    }
}
