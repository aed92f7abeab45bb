import Foundation
import Testing
@testable import DeskCore

@Suite struct SmartResizeTests {
    /// Reference §2.4 test vectors: screen → (1.5 max 12.8M, Doubao max 4.0M, 1.0 max 2.1M).
    static let vectors: [(Size, Size, Size, Size)] = [
        (Size(width: 1920, height: 1080), Size(width: 1932, height: 1092), Size(width: 1932, height: 1092), Size(width: 1932, height: 1092)),
        (Size(width: 2560, height: 1440), Size(width: 2548, height: 1428), Size(width: 2548, height: 1428), Size(width: 1932, height: 1064)),
        (Size(width: 3840, height: 2160), Size(width: 3836, height: 2156), Size(width: 2660, height: 1484), Size(width: 1932, height: 1064)),
        (Size(width: 5120, height: 2880), Size(width: 4760, height: 2688), Size(width: 2660, height: 1484), Size(width: 1932, height: 1064)),
        (Size(width: 1366, height: 768), Size(width: 1372, height: 756), Size(width: 1372, height: 756), Size(width: 1372, height: 756)),
        (Size(width: 1280, height: 800), Size(width: 1288, height: 812), Size(width: 1288, height: 812), Size(width: 1288, height: 812)),
        (Size(width: 1024, height: 768), Size(width: 1036, height: 756), Size(width: 1036, height: 756), Size(width: 1036, height: 756)),
    ]

    @Test(arguments: 0..<7)
    func referenceVectors(_ i: Int) throws {
        let (screen, v15, doubao, v10) = Self.vectors[i]
        #expect(try SmartResize.uiTars15.resize(screen) == v15)
        #expect(try SmartResize.doubao.resize(screen) == doubao)
        #expect(try SmartResize.uiTars10.resize(screen) == v10)
    }

    @Test func bankersRoundingNotHalfUp() throws {
        // smart_resize(1022, 1522) (height, width): Python gives (1008, 1512), JS Math.round (1036, 1512).
        #expect(try SmartResize.uiTars15.resize(Size(width: 1522, height: 1022)) == Size(width: 1512, height: 1008))
    }

    @Test func growsTinyImagesToTheMinimum() throws {
        let s = try SmartResize.uiTars15.resize(Size(width: 100, height: 100))
        #expect(s.width % 28 == 0 && s.height % 28 == 0)
        #expect(s.area >= 100 * 28 * 28)
    }

    @Test func refusesExtremeAspectAndEmpty() {
        #expect(throws: SmartResizeError.self) { try SmartResize.uiTars15.resize(Size(width: 20100, height: 100)) }
        #expect(throws: SmartResizeError.self) { try SmartResize.uiTars15.resize(Size(width: 0, height: 100)) }
    }

    @Test func sendSizeKeepsNativeWithinBudgetAndShrinksAbove() {
        #expect(SmartResize.uiTars15.sendSize(for: Size(width: 1920, height: 1080)) == Size(width: 1920, height: 1080))
        let s = SmartResize.uiTars10.sendSize(for: Size(width: 3840, height: 2160))
        #expect(s.area <= SmartResize.uiTars10.maxPixels)
        #expect(abs(Double(s.width) / Double(s.height) - 16.0 / 9.0) < 0.01)
    }
}

@Suite struct CoordinateMappingTests {
    static let fullHD = Rect(x: 0, y: 0, width: 1920, height: 1080)
    static let qhd = Rect(x: 0, y: 0, width: 2560, height: 1440)

    func mapped(_ c: CoordinateConvention, _ screen: Rect, _ x: Double, _ y: Double, sent: Size? = nil) throws -> MappedPoint {
        try CoordinateMapping(convention: c, screen: screen, sentImage: sent ?? screen.size).map(ModelPoint(x: x, y: y))
    }

    @Test(arguments: [
        // UI-TARS-1.5 absolute on smart-resized (reference §2.4).
        (197.0, 525.0, 1920, 1080, 195.78, 519.23),
        (966.0, 546.0, 1920, 1080, 960.0, 540.0),
        (1274.0, 714.0, 2560, 1440, 1280.0, 720.0),
        (100.0, 200.0, 1920, 1080, 99.38, 197.80),
    ])
    func uiTars15Examples(_ x: Double, _ y: Double, _ w: Int, _ h: Int, _ ex: Double, _ ey: Double) throws {
        let m = try mapped(.absoluteOnResized(.uiTars15), Rect(x: 0, y: 0, width: w, height: h), x, y)
        #expect(abs(m.exactX - ex) < 0.01)
        #expect(abs(m.exactY - ey) < 0.01)
        #expect(m.screen == Point(x: Int(ex.rounded()), y: Int(ey.rounded())))
        #expect(!m.clamped)
    }

    @Test func relativeExamples() throws {
        let seed = try mapped(.relative1000, Self.fullHD, 383, 808)
        #expect(abs(seed.exactX - 735.36) < 1e-9 && abs(seed.exactY - 872.64) < 1e-9)
        #expect(seed.screen == Point(x: 735, y: 873))
        #expect(try mapped(.relative1000, Self.fullHD, 100, 200).screen == Point(x: 192, y: 216))
        let bbox = try mapped(.relative1000, Self.qhd, 637, 964)
        #expect(abs(bbox.exactX - 1630.72) < 1e-9 && abs(bbox.exactY - 1388.16) < 1e-9)
        let think = try mapped(.relative1000, Self.qhd, 510, 150)
        #expect(abs(think.exactX - 1305.6) < 1e-9 && think.exactY == 216)
    }

    @Test func addsTheMonitorOrigin() throws {
        let second = Rect(x: 1920, y: 120, width: 1920, height: 1080)
        #expect(try mapped(.relative1000, second, 500, 500).screen == Point(x: 2880, y: 660))
    }

    @Test func usesTheSentImageNotTheScreenForAbsolute() throws {
        // A 4K screen sent at 1920×1080: the model sees 1932×1092, so its centre maps to the 4K centre.
        let m = try mapped(.absoluteOnResized(.uiTars15), Rect(x: 0, y: 0, width: 3840, height: 2160), 966, 546,
                           sent: Size(width: 1920, height: 1080))
        #expect(m.screen == Point(x: 1920, y: 1080))
    }

    @Test func clampsJustOutsideAndRefusesFarOutside() throws {
        let edge = try mapped(.relative1000, Self.fullHD, 1000, 1000)
        #expect(edge.screen == Point(x: 1919, y: 1079))
        let near = try mapped(.relative1000, Self.fullHD, 1005, -5)
        #expect(near.clamped)
        #expect(near.screen == Point(x: 1919, y: 0))
        #expect(throws: CoordinateError.self) { try mapped(.relative1000, Self.fullHD, 1011, 500) }
        #expect(throws: CoordinateError.self) { try mapped(.relative1000, Self.fullHD, 500, -10.5) }
        #expect(throws: CoordinateError.self) { try mapped(.relative1000, Self.fullHD, .nan, 1) }
    }

    @Test func mapsEveryPointOfAnAction() throws {
        let m = try CoordinateMapping(convention: .relative1000, screen: Self.fullHD)
        let a = try m.toScreen(ModelAction.drag(from: ModelPoint(x: 0, y: 0), to: ModelPoint(x: 500, y: 500), button: .left))
        #expect(a == .drag(from: Point(x: 0, y: 0), to: Point(x: 960, y: 540), button: .left))
        #expect(try m.toScreen(ModelAction.type(text: "hi")) == .type(text: "hi"))
        #expect(throws: CoordinateError.self) { try m.toScreen(ModelAction.move(to: ModelPoint(x: 2000, y: 0))) }
    }

    @Test func recordsRoundTripThroughJSON() throws {
        let m = try CoordinateMapping(convention: .absoluteOnResized(.uiTars15), screen: Self.fullHD)
        let rec = try m.records(for: .click(at: ModelPoint(x: 197, y: 525), button: .left, count: 1))
        let data = try JSONEncoder().encode(rec)
        #expect(try JSONDecoder().decode([MappedPoint].self, from: data) == rec)
        #expect(try JSONDecoder().decode(CoordinateMapping.self, from: JSONEncoder().encode(m)) == m)
        #expect(m.modelWidth == 1932 && m.modelHeight == 1092)
    }
}
