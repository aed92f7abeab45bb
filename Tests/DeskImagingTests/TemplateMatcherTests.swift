import DeskCore
import DeskImaging
import Testing

@Suite struct TemplateMatcherTests {
    /// Plain-Swift zero-mean NCC at one position, straight from the definition, in Double.
    private func referenceNCC(_ screen: Frame, _ template: Frame, x: Int, y: Int) -> Double {
        let n = Double(template.width * template.height)
        var st = 0.0, sw = 0.0
        for j in 0..<template.height { for i in 0..<template.width {
            st += Double(template.pixels[j * template.stride + i])
            sw += Double(screen.pixels[(y + j) * screen.stride + x + i])
        } }
        let mt = st / n, mw = sw / n
        var num = 0.0, dt = 0.0, dw = 0.0
        for j in 0..<template.height { for i in 0..<template.width {
            let t = Double(template.pixels[j * template.stride + i]) - mt
            let w = Double(screen.pixels[(y + j) * screen.stride + x + i]) - mw
            num += t * w; dt += t * t; dw += w * w
        } }
        return num / (dt * dw).squareRoot()
    }

    @Test(arguments: [(5, 4), (7, 9), (1, 6), (23, 17)])
    func scoresAgreeWithPlainSwiftReference(tw: Int, th: Int) throws {
        let screen = TestImages.noise(width: 41, height: 29, format: .gray, padding: 3, seed: 5)
        let template = TestImages.noise(width: tw, height: th, format: .gray, seed: UInt64(tw * th))
        let map = TemplateMatcher(template: template).scoreMap(in: screen)
        #expect(map.width == 41 - tw + 1 && map.height == 29 - th + 1)
        var worst = 0.0
        for y in 0..<map.height { for x in 0..<map.width {
            worst = max(worst, abs(map.scores[y * map.width + x] - referenceNCC(screen, template, x: x, y: y)))
        } }
        #expect(worst < 1e-4)
    }

    // Each rectangle holds enough detail to be unique (a flat patch matches everywhere flat).
    @Test(arguments: [(137, 61, 40, 24), (203, 117, 64, 64), (0, 36, 30, 12), (5, 372, 29, 27), (9, 300, 150, 90)])
    func findsACutTemplateAtItsExactPosition(x: Int, y: Int, w: Int, h: Int) throws {
        let screen = TestImages.ui(width: 640, height: 400, format: .bgrx, seed: 11)
        let template = try #require(screen.cropped(to: Rect(x: x, y: y, width: w, height: h)))
        let match = try #require(TemplateMatcher(template: template).bestMatch(in: screen))
        #expect(match.rect == Rect(x: x, y: y, width: w, height: h))
        #expect(match.score > 0.99)
    }

    @Test func findsTextTemplatesOffTheBlockGrid() throws {
        // Text-like detail at positions that are not multiples of the coarse factor: the case where a single
        // block-averaged template loses the true match among look-alike text.
        let screen = TestImages.ui(width: 1280, height: 720, format: .bgrx, seed: 7)
        for rect in [Rect(x: 733, y: 410, width: 64, height: 64), Rect(x: 301, y: 287, width: 200, height: 120)] {
            let template = try #require(screen.cropped(to: rect))
            let match = try #require(TemplateMatcher(template: template).bestMatch(in: screen))
            #expect(match.rect == rect)
            #expect(match.score > 0.99)
        }
    }

    @Test func usesACoarseLevelForLargeTemplates() {
        #expect(TemplateMatcher(template: TestImages.noise(width: 64, height: 64, format: .gray)).coarseFactor == 4)
        #expect(TemplateMatcher(template: TestImages.noise(width: 20, height: 90, format: .gray)).coarseFactor == 2)
        #expect(TemplateMatcher(template: TestImages.noise(width: 16, height: 40, format: .gray)).coarseFactor == 1)
        #expect(TemplateMatcher(template: TestImages.noise(width: 300, height: 200, format: .gray)).coarseFactor == 8)
    }

    @Test func absentTemplateGivesNil() {
        let screen = TestImages.ui(width: 640, height: 400, format: .bgrx, seed: 11)
        for (w, h) in [(40, 24), (64, 64), (12, 12)] {
            let noise = TestImages.noise(width: w, height: h, format: .rgb, seed: 77)
            #expect(TemplateMatcher(template: noise).bestMatch(in: screen) == nil)
        }
        // Larger than the screen, or empty: nil rather than a crash.
        #expect(TemplateMatcher(template: TestImages.noise(width: 700, height: 10, format: .rgb)).bestMatch(in: screen) == nil)
        #expect(TemplateMatcher(template: Frame.empty())
            .bestMatch(in: screen) == nil)
    }

    @Test func findsEveryCopyBestFirst() throws {
        var screen = TestImages.ui(width: 500, height: 300, format: .rgb, seed: 3)
        let icon = TestImages.noise(width: 32, height: 32, format: .rgb, seed: 123)
        for (x, y) in [(40, 50), (72, 50), (300, 211)] { TestImages.paste(icon, into: &screen, at: x, y) }
        let found = TemplateMatcher(template: icon).matches(in: screen, threshold: 0.95, limit: 10)
        #expect(Set(found.map(\.rect.origin)) == [Point(x: 40, y: 50), Point(x: 72, y: 50), Point(x: 300, y: 211)])
        #expect(found.allSatisfy { $0.score > 0.99 })
        #expect(TemplateMatcher(template: icon).matches(in: screen, threshold: 0.95, limit: 2).count == 2)
    }

    @Test func brightnessAndContrastChangesStillMatch() throws {
        let screen = TestImages.ui(width: 320, height: 200, format: .rgb, seed: 8)
        var template = try #require(screen.cropped(to: Rect(x: 100, y: 70, width: 48, height: 30)))
        template.withMutablePixels { bytes in for i in bytes.indices { bytes[i] = UInt8(Double(bytes[i]) * 0.6 + 40) } }
        let match = try #require(TemplateMatcher(template: template).bestMatch(in: screen, threshold: 0.98))
        #expect(match.rect.origin == Point(x: 100, y: 70))
    }
}

