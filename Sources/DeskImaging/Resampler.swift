import DeskCore

/// Resizes frames for sending to a model or storing in a history.
public enum Resampler {
    /// The largest width or height accepted as a target (X11's own limit); larger values are clamped.
    public static let maxDimension = 32767

    /// Returns `frame` scaled to exactly `size` as a packed `.rgb` frame (same origin and capture time).
    ///
    /// Each axis is handled on its own: when it shrinks, every output pixel is the exact area average of the
    /// source pixels it covers (fractional coverage at the edges), which keeps thin text strokes as grey
    /// rather than dropping them as point sampling would; when it grows, bilinear interpolation between pixel
    /// centres. Flat areas keep their colour exactly. A target with a zero or negative side gives an empty
    /// frame; an empty or malformed source reads as black.
    public static func resize(_ frame: Frame, to size: Size) -> Frame {
        let dw = min(max(0, size.width), maxDimension), dh = min(max(0, size.height), maxDimension)
        let source = frame
        guard dw > 0, dh > 0, source.width > 0, source.height > 0 else {
            return Frame.blackRGB(Size(width: dw, height: dh), like: frame)
        }
        let rgb = source.toRGB()
        if rgb.width == dw && rgb.height == dh { return rgb }
        let sw = rgb.width, sh = rgb.height
        let xTaps = taps(from: sw, to: dw), yTaps = taps(from: sh, to: dh)

        // Horizontal pass into floats (sh x dw), then vertical pass into bytes (dh x dw).
        var mid = [Float](repeating: 0, count: sh * dw * 3)
        rgb.pixels.withUnsafeBufferPointer { src in
            mid.withUnsafeMutableBufferPointer { dst in
                for y in 0..<sh {
                    let s = y * sw * 3, d = y * dw * 3
                    for x in 0..<dw {
                        let tap = xTaps[x]
                        var r: Float = 0, g: Float = 0, b: Float = 0
                        for k in 0..<tap.weights.count {
                            let w = tap.weights[k], i = s + (tap.first + k) * 3
                            r += w * Float(src[i]); g += w * Float(src[i + 1]); b += w * Float(src[i + 2])
                        }
                        let o = d + x * 3
                        dst[o] = r; dst[o + 1] = g; dst[o + 2] = b
                    }
                }
            }
        }
        let rowFloats = dw * 3
        var out = [UInt8](repeating: 0, count: dh * rowFloats)
        mid.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for y in 0..<dh {
                    let tap = yTaps[y], d = y * rowFloats
                    for i in 0..<rowFloats {
                        var v: Float = 0
                        for k in 0..<tap.weights.count {
                            v += tap.weights[k] * src[(tap.first + k) * rowFloats + i]
                        }
                        dst[d + i] = UInt8(min(255, max(0, v.rounded())))
                    }
                }
            }
        }
        return Frame(checkedWidth: dw, height: dh, stride: dw * 3, format: .rgb, origin: frame.origin,
                     captureTime: frame.captureTime, pixels: out)
    }

    /// The source pixels one output pixel reads, and their weights (summing to 1).
    struct Tap {
        var first: Int
        var weights: [Float]
    }

    /// One tap list per output index along an axis of `n` source pixels scaled to `m`.
    static func taps(from n: Int, to m: Int) -> [Tap] {
        let scale = Double(n) / Double(m)
        if m == n { return (0..<m).map { Tap(first: $0, weights: [1]) } }
        if m < n {
            // Output pixel i covers source interval [i*scale, (i+1)*scale).
            return (0..<m).map { i in
                let lo = Double(i) * scale, hi = min(Double(n), Double(i + 1) * scale)
                let first = Int(lo.rounded(.down)), last = min(n - 1, Int(hi.rounded(.up)) - 1)
                var weights: [Double] = []
                for j in first...max(first, last) {
                    let cover = min(hi, Double(j + 1)) - max(lo, Double(j))
                    weights.append(max(0, cover))
                }
                let total = weights.reduce(0, +)
                return Tap(first: first, weights: weights.map { Float($0 / total) })
            }
        }
        // Growing: align pixel centres, clamp at the borders.
        if n == 1 { return Array(repeating: Tap(first: 0, weights: [1]), count: m) }
        return (0..<m).map { i in
            let pos = min(Double(n - 1), max(0, (Double(i) + 0.5) * scale - 0.5))
            let j = min(n - 2, Int(pos.rounded(.down)))
            let t = pos - Double(j)
            return Tap(first: j, weights: [Float(1 - t), Float(t)])
        }
    }
}
