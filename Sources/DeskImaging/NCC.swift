/// Zero-mean normalised cross-correlation of a template over every position of a plane.
///
/// The correlation sums come from one `sgemm` per band of rows: for each screen row and x offset, the
/// template-width run of pixels starting there is one row of a patch matrix `X`; `X · Tᵀ` then holds, for
/// every template row j, that run's dot product with template row j, and the sum for output (x, y) adds
/// those products along j for screen rows y+j. The window means and energies come from summed-area tables.
enum NCC {
    /// A template prepared for matching: zero-mean values and its norm.
    struct Template: Sendable {
        var width: Int
        var height: Int
        var mean: Double
        /// Template minus its mean, row-major.
        var centred: [Float]
        /// Square root of the sum of `centred`².
        var norm: Double

        /// A template whose standard deviation is below half a grey level has no pattern to correlate.
        var isFlat: Bool { norm * norm < 0.25 * Double(width * height) }

        init(_ plane: GrayPlane) {
            width = plane.width
            height = plane.height
            let n = max(1, plane.values.count)
            let m = plane.values.reduce(0.0) { $0 + Double($1) } / Double(n)
            mean = m
            centred = plane.values.map { Float(Double($0) - m) }
            norm = Double(centred.withUnsafeBufferPointer { c in
                c.baseAddress.map { BLAS.dot($0, $0, count: c.count) } ?? 0
            }).squareRoot()
        }
    }

    /// Scores for every position where the template fits, row-major, `width` x `height`.
    struct ScoreMap: Sendable {
        var width: Int
        var height: Int
        var scores: [Float]
    }

    /// Prefix sums of values and squares, in Double so window energies do not lose precision.
    struct SummedArea {
        let stride: Int
        var sum: [Double]
        var sumSq: [Double]

        init(_ plane: GrayPlane) {
            stride = plane.width + 1
            sum = [Double](repeating: 0, count: stride * (plane.height + 1))
            sumSq = sum
            for y in 0..<plane.height {
                var rowSum = 0.0, rowSq = 0.0
                for x in 0..<plane.width {
                    let v = Double(plane.values[y * plane.width + x])
                    rowSum += v
                    rowSq += v * v
                    sum[(y + 1) * stride + x + 1] = sum[y * stride + x + 1] + rowSum
                    sumSq[(y + 1) * stride + x + 1] = sumSq[y * stride + x + 1] + rowSq
                }
            }
        }

        func window(x: Int, y: Int, width w: Int, height h: Int) -> (sum: Double, sumSq: Double) {
            let a = y * stride + x, b = a + w, c = (y + h) * stride + x, d = c + w
            return (sum[d] - sum[b] - sum[c] + sum[a], sumSq[d] - sumSq[b] - sumSq[c] + sumSq[a])
        }
    }

    /// Floats of scratch for the patch matrix per band; bounds memory whatever the sizes (16 MiB).
    static let scratchBudget = 1 << 22

    /// NCC in [-1, 1] at every position of `template` inside `plane` (which must be at least as large).
    /// A flat window scores 0 against a patterned template; a flat template scores by how close the window's
    /// mean is when the window is flat too, else 0.
    static func scores(_ plane: GrayPlane, _ template: Template) -> ScoreMap {
        scores(plane, [template])[0]
    }

    /// ``scores(_:_:)`` for several templates of one size at once: the window statistics and the patch
    /// matrix are shared, and one wider `sgemm` is faster than several narrow ones.
    static func scores(_ plane: GrayPlane, _ templates: [Template]) -> [ScoreMap] {
        let empty = ScoreMap(width: 0, height: 0, scores: [])
        guard let first = templates.first else { return [] }
        let tw = first.width, th = first.height
        let outW = plane.width - tw + 1, outH = plane.height - th + 1
        guard tw > 0, th > 0, outW > 0, outH > 0,
              templates.allSatisfy({ $0.width == tw && $0.height == th })
        else { return templates.map { _ in empty } }
        let n = Double(tw * th)
        let area = SummedArea(plane)
        var energies = [Double](repeating: 0, count: outW * outH)
        var means = energies
        for y in 0..<outH {
            for x in 0..<outW {
                let (s, sq) = area.window(x: x, y: y, width: tw, height: th)
                energies[y * outW + x] = max(0, sq - s * s / n)
                means[y * outW + x] = s / n
            }
        }
        let correlations = templates.allSatisfy(\.isFlat)
            ? templates.map { _ in [Float]() } : correlate(plane, templates)
        return templates.indices.map { k in
            let template = templates[k], correlation = correlations[k]
            var scores = [Float](repeating: 0, count: outW * outH)
            for i in 0..<scores.count {
                let energy = energies[i]
                let windowFlat = energy < 0.25 * n
                let score: Double
                if template.isFlat {
                    score = windowFlat ? max(0, 1 - abs(means[i] - template.mean) / 255) : 0
                } else if windowFlat {
                    score = 0
                } else {
                    score = Double(correlation[i]) / (template.norm * energy.squareRoot())
                }
                scores[i] = Float(min(1, max(-1, score)))
            }
            return ScoreMap(width: outW, height: outH, scores: scores)
        }
    }

    /// Σ centred-template · window at every position, per template (the NCC numerator; the template's zero
    /// mean makes the window's mean drop out). All templates have the first one's size.
    static func correlate(_ plane: GrayPlane, _ templates: [Template]) -> [[Float]] {
        let count = templates.count
        guard let first = templates.first else { return [] }
        let tw = first.width, th = first.height, sw = plane.width
        let outW = plane.width - tw + 1, outH = plane.height - th + 1
        var outs = [[Float]](repeating: [Float](repeating: 0, count: outW * outH), count: count)
        // Template rows are taken in groups (all templates' rows of the group side by side) so the product
        // matrix stays small even for tall templates or many phases.
        var group = max(1, min(th, 64 / count))
        while group > 1 && group * outW * max(tw, count * group) > scratchBudget { group /= 2 }
        let columns = count * group
        let band = max(1, scratchBudget / max(1, outW * max(tw, columns)) - group + 1)
        let maxSrcRows = min(band, outH) + group - 1
        var patches = [Float](repeating: 0, count: maxSrcRows * outW * tw)
        var products = [Float](repeating: 0, count: maxSrcRows * outW * columns)
        var rowsOfB = [Float](repeating: 0, count: columns * tw)
        plane.values.withUnsafeBufferPointer { src in
            patches.withUnsafeMutableBufferPointer { x in
                products.withUnsafeMutableBufferPointer { q in
                    rowsOfB.withUnsafeMutableBufferPointer { b in
                        guard let s0 = src.baseAddress, let x0 = x.baseAddress, let q0 = q.baseAddress,
                              let b0 = b.baseAddress else { return }
                        var y0 = 0
                        while y0 < outH {
                            let rows = min(band, outH - y0)
                            var j0 = 0
                            while j0 < th {
                                let g = min(group, th - j0)
                                let srcRows = rows + g - 1
                                // Patch rows: runs of tw pixels from screen rows y0+j0 ..< y0+j0+srcRows.
                                for r in 0..<srcRows {
                                    let rowStart = s0 + (y0 + j0 + r) * sw
                                    for xo in 0..<outW {
                                        (x0 + (r * outW + xo) * tw).update(from: rowStart + xo, count: tw)
                                    }
                                }
                                // B rows: template k's row j0+jl at k*g + jl.
                                for k in 0..<count {
                                    templates[k].centred.withUnsafeBufferPointer { t in
                                        guard let t0 = t.baseAddress else { return }
                                        (b0 + k * g * tw).update(from: t0 + j0 * tw, count: g * tw)
                                    }
                                }
                                let cols = count * g
                                BLAS.multiplyTransposed(x0, b0, into: q0, m: srcRows * outW, n: cols, k: tw)
                                for k in 0..<count {
                                    outs[k].withUnsafeMutableBufferPointer { dst in
                                        guard let d0 = dst.baseAddress else { return }
                                        for yy in 0..<rows {
                                            let d = d0 + (y0 + yy) * outW
                                            for jl in 0..<g {
                                                let qRow = q0 + (yy + jl) * outW * cols + k * g + jl
                                                for xo in 0..<outW { d[xo] += qRow[xo * cols] }
                                            }
                                        }
                                    }
                                }
                                j0 += g
                            }
                            y0 += rows
                        }
                    }
                }
            }
        }
        return outs
    }
}
