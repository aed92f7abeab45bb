import DeskCore
import DeskImaging
import Testing

@Suite struct TileDiffTests {
    @Test(arguments: [PixelFormat.rgb, .bgrx, .gray, .rgba])
    func findsExactlyTheChangedTile(format: PixelFormat) {
        let a = TestImages.noise(width: 256, height: 192, format: format, padding: 4)
        #expect(TileDiff.changedTiles(a, a).isEmpty)
        var b = a
        b[byte: 70 * b.stride + 150 * format.bytesPerPixel] ^= 0x01
        #expect(TileDiff.changedTiles(a, b) == [Rect(x: 128, y: 64, width: 64, height: 64)])
        #expect(TileDiff.changedTiles(a, b, tile: 16) == [Rect(x: 144, y: 64, width: 16, height: 16)])
    }

    @Test func edgeTilesAreClipped() {
        let a = TestImages.noise(width: 200, height: 100, format: .rgb)
        var b = a
        b[byte: 99 * b.stride + 199 * 3 + 2] &+= 1
        b[byte: 0] &+= 1
        #expect(TileDiff.changedTiles(a, b) == [Rect(x: 0, y: 0, width: 64, height: 64),
                                                 Rect(x: 192, y: 64, width: 8, height: 36)])
    }

    @Test func bgrxPadBytesAreNotChanges() {
        let a = TestImages.noise(width: 80, height: 80, format: .bgrx)
        var b = a
        for i in stride(from: 3, to: b.pixels.count, by: 4) { b[byte: i] &+= 1 }
        #expect(TileDiff.changedTiles(a, b).isEmpty)
    }

    @Test func mixedFormatsCompareColours() {
        let rgb = TestImages.ui(width: 130, height: 70, format: .rgb)
        var bgrx = TestImages.ui(width: 130, height: 70, format: .bgrx)
        #expect(TileDiff.changedTiles(rgb, bgrx).isEmpty)
        TestImages.set(&bgrx, 129, 69, (1, 2, 3))
        #expect(TileDiff.changedTiles(rgb, bgrx) == [Rect(x: 128, y: 64, width: 2, height: 6)])
    }

    @Test func differentSizesAreOneChange() {
        let a = TestImages.noise(width: 30, height: 20, format: .rgb)
        let b = TestImages.noise(width: 31, height: 20, format: .rgb)
        #expect(TileDiff.changedTiles(a, b) == [Rect(x: 0, y: 0, width: 31, height: 20)])
        #expect(TileDiff.changedTiles(a, a, tile: 0).isEmpty)
    }
}
