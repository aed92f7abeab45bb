import DeskCore
import Foundation
import Testing
import DeskImaging

@Suite struct PNGCodecTests {
    static let sizes: [(Int, Int)] = [(1, 1), (3, 7), (17, 5), (64, 3)]

    /// Decoded pixels equal the original's colours (and alpha for RGBA), whatever the stride padding.
    private func expectSamePixels(_ original: Frame, _ decoded: Frame) {
        #expect(decoded.width == original.width && decoded.height == original.height)
        var mismatches = 0
        for y in 0..<original.height {
            for x in 0..<original.width {
                if decoded.rgb(x: x, y: y) != original.rgb(x: x, y: y) { mismatches += 1 }
                if original.format == .rgba {
                    let a = original[byte: y * original.stride + x * 4 + 3]
                    let b = decoded[byte: y * decoded.stride + x * 4 + 3]
                    if a != b { mismatches += 1 }
                }
            }
        }
        #expect(mismatches == 0)
    }

    @Test(arguments: [PixelFormat.rgb, .bgrx, .gray, .rgba], [0, 5])
    func roundTripIsBitExact(format: PixelFormat, padding: Int) throws {
        for (w, h) in Self.sizes {
            let frame = TestImages.noise(width: w, height: h, format: format, padding: padding, seed: UInt64(w * 31 + h))
            let png = try PNGCodec.encode(frame)
            let decoded = try PNGCodec.decode(png)
            #expect(decoded.format == (format == .rgba ? .rgba : .rgb))
            expectSamePixels(frame, decoded)
        }
    }

    @Test(arguments: [0, 12])
    func lentBGRXRowsEncodeLikeTheirFrame(padding: Int) throws {
        for (w, h) in Self.sizes {
            let frame = TestImages.noise(width: w, height: h, format: .bgrx, padding: padding, seed: UInt64(w * 7 + h))
            let lent = try frame.pixels.withUnsafeBytes {
                try PNGCodec.encodeBGRX($0, width: w, height: h, stride: frame.stride)
            }
            #expect(lent == (try PNGCodec.encode(frame)), "\(w)x\(h)")
            expectSamePixels(frame, try PNGCodec.decode(lent))
        }
        // Rows that do not fit the bytes lent are refused, not read past.
        let short = [UInt8](repeating: 0, count: 15)
        #expect(throws: ImagingError.self) {
            try short.withUnsafeBytes { try PNGCodec.encodeBGRX($0, width: 2, height: 2, stride: 8) }
        }
    }

    @Test(arguments: [0, 1, 6, 9])
    func everyLevelRoundTrips(level: Int) throws {
        let frame = TestImages.ui(width: 97, height: 61, format: .rgb)
        expectSamePixels(frame, try PNGCodec.decode(PNGCodec.encode(frame, level: level)))
    }

    @Test func fullHDUIFrameRoundTripsAndCompresses() throws {
        let frame = TestImages.ui(width: 1920, height: 1080, format: .bgrx)
        let png = try PNGCodec.encode(frame)
        // A mostly flat UI frame compresses far below its 6.2 MB raw size even at level 1, no filter.
        #expect(png.count < 1920 * 1080 * 3 / 10)
        expectSamePixels(frame, try PNGCodec.decode(png))
    }

    /// Noise does not compress: a band's deflate output is larger than its input, in several pieces and
    /// bands, at every level that stores or compresses.
    @Test(arguments: [0, 1, 9])
    func incompressibleFramesOverManyBandsRoundTrip(level: Int) throws {
        let frame = TestImages.noise(width: 1001, height: 413, format: .bgrx, seed: 42)
        expectSamePixels(frame, try PNGCodec.decode(PNGCodec.encode(frame, level: level)))
        let shared = try frame.pixels.withUnsafeBytes {
            try PNGCodec.encodeBGRX($0, width: frame.width, height: frame.height, stride: frame.stride, level: level)
        }
        expectSamePixels(frame, try PNGCodec.decode(shared))
    }

    @Test func headerDeclaresTheRightColorType() throws {
        // IHDR data starts at byte 16: width, height, bit depth (24), colour type (25).
        let types: [(PixelFormat, UInt8)] = [(.rgb, 2), (.bgrx, 2), (.rgba, 6), (.gray, 0)]
        for (format, type) in types {
            let png = try PNGCodec.encode(TestImages.noise(width: 5, height: 4, format: format))
            #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
            #expect(png[24] == 8 && png[25] == type, "format \(format)")
            #expect(Array(png.suffix(8).prefix(4)) == Array("IEND".utf8))
        }
    }

    @Test func bgrxPadByteNeverBecomesAlpha() throws {
        // Pad bytes of 0 would make every pixel transparent if they were read as alpha.
        for pad in [UInt8(0), 0x7F, 0xFF] {
            var frame = TestImages.noise(width: 9, height: 6, format: .bgrx, seed: UInt64(pad) + 3)
            for i in stride(from: 3, to: frame.pixels.count, by: 4) { frame[byte: i] = pad }
            let png = try PNGCodec.encode(frame)
            #expect(png[25] == 2)
            let decoded = try PNGCodec.decode(png)
            #expect(decoded.format == .rgb)
            expectSamePixels(frame, decoded)
        }
    }

    @Test func decodesGrayPNGAsRGB() throws {
        let gray = TestImages.noise(width: 7, height: 3, format: .gray)
        let decoded = try PNGCodec.decode(PNGCodec.encode(gray))
        #expect(decoded.format == .rgb)
        #expect(decoded.rgb(x: 4, y: 2) == gray.rgb(x: 4, y: 2))
    }

    @Test func corruptOrTruncatedDataThrows() throws {
        let good = try PNGCodec.encode(TestImages.ui(width: 120, height: 80, format: .rgb))
        var flipped = good
        for i in 60..<min(good.count - 20, 90) { flipped[i] ^= 0xA5 }  // inside IDAT: CRC and zlib both break
        var rng = SeededRandom(seed: 99)
        let cases: [(String, [UInt8])] = [
            ("empty", []),
            ("random", (0..<500).map { _ in UInt8.random(in: 0...255, using: &rng) }),
            ("signature only", Array(good.prefix(8))),
            ("truncated header", Array(good.prefix(20))),
            ("truncated data", Array(good.prefix(good.count / 2))),
            ("cut inside the IDAT CRC", Array(good.dropLast(14))),
            ("corrupt IDAT", flipped),
        ]
        for (name, data) in cases {
            #expect(throws: ImagingError.self, "\(name)") { try PNGCodec.decode(data) }
        }
        let error = try #require(throws: ImagingError.self) { try PNGCodec.decode(Array(good.prefix(20))) }
        #expect(error.exitStatus == .usage)
        #expect(error.description.contains("PNG"))
    }

    @Test func badFramesAndLevelsThrow() {
        let frame = TestImages.noise(width: 4, height: 4, format: .rgb)
        #expect(throws: ImagingError.self) { try PNGCodec.encode(frame, level: 10) }
        #expect(throws: ImagingError.self) { try PNGCodec.encode(frame, level: -1) }
        // A frame whose bytes do not fill its layout cannot be built at all, so no encoder ever sees one.
        let error = #expect(throws: FrameLayoutError.self) {
            try Frame(width: 4, height: 4, stride: 12, format: .rgb, pixels: Array(frame.pixels.dropLast()))
        }
        #expect(error?.description.contains("needs 48 bytes, has 47") == true)
        #expect(throws: FrameLayoutError.self) { try Frame(width: 4, height: 4, stride: 5, format: .rgb, pixels: frame.pixels) }
        #expect(throws: FrameLayoutError.self) { try Frame(width: -1, height: 4, stride: 0, format: .rgb, pixels: []) }
        #expect(throws: FrameLayoutError.self) {
            try Frame(width: Int.max / 2, height: 3, stride: Int.max / 2, format: .rgb, pixels: [])
        }
        let empty = try! Frame(width: 0, height: 3, stride: 0, format: .rgb, pixels: [])
        #expect(throws: ImagingError.self) { try PNGCodec.encode(empty) }
    }

    @Test func writeToUnwritablePathNamesThePath() {
        let path = "/nonexistent-deskpilot-dir/sub/shot.png"
        let error = #expect(throws: ImagingError.self) {
            try PNGCodec.write(TestImages.noise(width: 2, height: 2, format: .rgb), to: path)
        }
        #expect(error?.description.contains(path) == true)
        #expect(error?.exitStatus == .usage)
    }

    @Test func writeThenReadBack() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("deskimaging-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("frame.png").path
        let frame = TestImages.ui(width: 50, height: 40, format: .bgrx)
        try PNGCodec.write(frame, to: path)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        expectSamePixels(frame, try PNGCodec.decode(bytes))
        // An empty frame fails before touching the file system, and the error still names the path.
        let bad = Frame.empty()
        let error = #expect(throws: ImagingError.self) { try PNGCodec.write(bad, to: path + ".2") }
        #expect(error?.description.contains(path + ".2") == true)
        #expect(!FileManager.default.fileExists(atPath: path + ".2"))
    }
}
