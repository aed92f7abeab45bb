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
        let tw = template.width, th = template.height
        let outW = plane.width - tw + 1, outH = plane.height - th + 1
        guard tw > 0, th > 0, outW > 0, outH > 0 else { return ScoreMap(width: 0, height: 0, scores: []) }
        let n = Double(tw * th)
        let area = SummedArea(plane)
        let correlation = template.isFlat ? [] : correlate(plane, template)
        var scores = [Float](repeating: 0, count: outW * outH)
        for y in 0..<outH {
            for x in 0..<outW {
                let (s, sq) = area.window(x: x, y: y, width: tw, height: th)
                let energy = max(0, sq - s * s / n)
                let windowFlat = energy < 0.25 * n
                let score: Double
                if template.isFlat {
                    score = windowFlat ? max(0, 1 - abs(s / n - template.mean) / 255) : 0
                } else if windowFlat {
                    score = 0
                } else {
                    score = Double(correlation[y * outW + x]) / (template.norm * energy.squareRoot())
                }
                scores[y * outW + x] = Float(min(1, max(-1, score)))
            }
        }
        return ScoreMap(width: outW, height: outH, scores: scores)
    }

    /// Σ centred-template · window at every position (the NCC numerator; the template's zero mean makes the
    /// window's mean drop out).
    static func correlate(_ plane: GrayPlane, _ template: Template) -> [Float] {
        let tw = template.width, th = template.height, sw = plane.width
        let outW = plane.width - tw + 1, outH = plane.height - th + 1
        var out = [Float](repeating: 0, count: outW * outH)
        // Template rows are taken in groups so the product matrix stays small even for tall templates.
        let group = max(1, min(32, th, scratchBudget / max(1, outW * tw)))
        let band = max(1, scratchBudget / max(1, outW * max(tw, group)) - group + 1)
        let maxSrcRows = min(band, outH) + group - 1
        var patches = [Float](repeating: 0, count: maxSrcRows * outW * tw)
        var products = [Float](repeating: 0, count: maxSrcRows * outW * group)
        plane.values.withUnsafeBufferPointer { src in
            template.centred.withUnsafeBufferPointer { tpl in
                patches.withUnsafeMutableBufferPointer { x in
                    products.withUnsafeMutableBufferPointer { q in
                        out.withUnsafeMutableBufferPointer { dst in
                            guard let s0 = src.baseAddress, let t0 = tpl.baseAddress, let x0 = x.baseAddress,
                                  let q0 = q.baseAddress, let d0 = dst.baseAddress else { return }
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
                                    BLAS.multiplyTransposed(x0, t0 + j0 * tw, into: q0, m: srcRows * outW, n: g, k: tw)
                                    for yy in 0..<rows {
                                        let d = d0 + (y0 + yy) * outW
                                        for j in 0..<g {
                                            let qRow = q0 + (yy + j) * outW * g + j
                                            for xo in 0..<outW { d[xo] += qRow[xo * g] }
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
        }
        return out
    }
}
