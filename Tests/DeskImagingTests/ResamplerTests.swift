import DeskCore
import DeskImaging
import Testing

@Suite struct ResamplerTests {
    private func allPixels(_ frame: Frame, equal c: (UInt8, UInt8, UInt8)) -> Bool {
        for y in 0..<frame.height { for x in 0..<frame.width where frame.rgb(x: x, y: y) != c { return false } }
        return true
    }

    @Test(arguments: [Size(width: 37, height: 23), Size(width: 1, height: 1), Size(width: 100, height: 60),
                      Size(width: 333, height: 211), Size(width: 50, height: 200)])
    func flatAreasKeepTheirColourAndSizeIsExact(target: Size) {
        for format in [PixelFormat.rgb, .bgrx, .rgba] {
            let frame = TestImages.flat(width: 100, height: 60, r: 200, g: 101, b: 7, format: format)
            let out = Resampler.resize(frame, to: target)
            #expect(out.size == target && out.format == .rgb && out.stride == target.width * 3)
            #expect(out.pixels.count == target.area * 3)
            #expect(allPixels(out, equal: (200, 101, 7)), "\(format) → \(target)")
        }
    }

    @Test func shrinkingAveragesAreas() {
        // A one-pixel checkerboard must become mid grey, not black or white as point sampling gives.
        var frame = TestImages.flat(width: 64, height: 64, r: 0, g: 0, b: 0)
        for y in 0..<64 { for x in 0..<64 where (x + y) % 2 == 0 { TestImages.set(&frame, x, y, (255, 255, 255)) } }
        let out = Resampler.resize(frame, to: Size(width: 16, height: 16))
        #expect(out.pixels.allSatisfy { $0 == 127 || $0 == 128 })
        // Exact 2x2 block means.
        var small = TestImages.flat(width: 4, height: 2, r: 0, g: 0, b: 0)
        TestImages.set(&small, 0, 0, (100, 0, 0)); TestImages.set(&small, 1, 1, (200, 40, 0))
        TestImages.set(&small, 3, 0, (8, 8, 8))
        let half = Resampler.resize(small, to: Size(width: 2, height: 1))
        #expect(half.rgb(x: 0, y: 0) == (75, 10, 0))
        #expect(half.rgb(x: 1, y: 0) == (2, 2, 2))
    }

    @Test func shrinkingKeepsTheMeanColour() {
        let frame = TestImages.ui(width: 640, height: 400, format: .bgrx)
        let out = Resampler.resize(frame, to: Size(width: 160, height: 100))
        func mean(_ f: Frame) -> Double {
            var sum = 0.0
            for y in 0..<f.height { for x in 0..<f.width { let c = f.rgb(x: x, y: y); sum += Double(c.r) + Double(c.g) + Double(c.b) } }
            return sum / Double(f.width * f.height * 3)
        }
        #expect(abs(mean(out) - mean(frame)) < 0.5)
    }

    @Test func growingInterpolatesBetweenNeighbours() {
        var frame = TestImages.flat(width: 2, height: 1, r: 0, g: 0, b: 0)
        TestImages.set(&frame, 1, 0, (200, 200, 200))
        let out = Resampler.resize(frame, to: Size(width: 8, height: 3))
        let row = (0..<8).map { Int(out.rgb(x: $0, y: 1).r) }
        #expect(row.first == 0 && row.last == 200)
        #expect(zip(row, row.dropFirst()).allSatisfy { $0 <= $1 })  // monotonic ramp, no ringing
        #expect(Set(row).count > 3)
    }

    @Test func degenerateInputsDoNotCrash() {
        let frame = TestImages.flat(width: 10, height: 10, r: 9, g: 9, b: 9)
        #expect(Resampler.resize(frame, to: Size(width: 0, height: 5)).pixels.isEmpty)
        #expect(Resampler.resize(frame, to: Size(width: -3, height: 5)).width == 0)
        let out = Resampler.resize(Frame.empty(), to: Size(width: 10, height: 10))
        #expect(out.width == 10 && out.rgb(x: 3, y: 9) == (0, 0, 0))
    }
}
