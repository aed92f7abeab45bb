import DeskCore
import DeskGrounding
import DeskX11
import Foundation
import Testing
import DeskTestSupport

/// OCR grounding on real X screens: `deskpilot-labels` draws labelled targets (9–16 px core fonts, light,
/// dark and coloured schemes, sparse and text-dense layouts) and writes where each one is.
@Suite("Grounding on labelled screens", .serialized, .ownThread)
struct LabelledScreenTests {
    /// Scenes (scene, seed) covering every layout and scheme, about 200 targets in all.
    static let scenes = [(0, 1), (1, 1), (2, 1), (3, 1), (4, 1), (0, 2), (2, 2), (4, 3)]

    @Test func locateLandsInsideTheRightElementAndNeverOnAbsentText() throws {
        let desktop = try GroundingDesktop()
        let locator = TextLocator()
        var total = 0, hits = 0, wrongAbsent: [String] = [], misses: [String] = []
        for (scene, seed) in Self.scenes {
            let labels = try LabelScene.start(scene: scene, seed: seed, on: desktop.session)
            defer { labels.stop() }
            let frame = try desktop.capture()
            let windows = desktop.windows()
            for target in labels.truth.targets {
                total += 1
                let found = try locator.locate(TextQuery(target.text), in: frame, windows: windows)
                if let best = found.first, target.rect.contains(best.point) {
                    hits += 1
                } else {
                    misses.append("scene \(scene)/\(seed) '\(target.text)' \(target.size)px \(target.scheme): "
                                  + (found.first.map(\.description) ?? "none; saw \(locator.closestTexts(to: target.text, limit: 2))"))
                }
            }
            for word in labels.truth.absent {
                if let wrong = try locator.locate(TextQuery(word), in: frame, windows: windows).first {
                    wrongAbsent.append("scene \(scene)/\(seed) '\(word)' → \(wrong)")
                }
            }
        }
        #expect(total >= 100)
        let rate = Double(hits) / Double(max(1, total))
        #expect(rate >= 0.95, "located \(hits)/\(total); misses: \(misses.joined(separator: "; "))")
        #expect(wrongAbsent.isEmpty, "confident answers for absent text: \(wrongAbsent)")
    }

    @Test func theTileCacheGivesTheSameResultAsAColdRun() throws {
        let desktop = try GroundingDesktop()
        let base = try LabelScene.start(scene: 0, seed: 3, on: desktop.session)
        defer { base.stop() }
        let warm = TextLocator()
        let before = try warm.recognize(try desktop.capture())
        #expect(!before.isEmpty)

        // One window changes: a popup with its own labels appears.
        let popup = try LabelScene.start(scene: 5, seed: 11, on: desktop.session, geometry: "420x160+700+420")
        defer { popup.stop() }
        let frame = try desktop.capture()
        let incremental = try warm.recognize(frame)
        let stats = warm.lastStatistics
        #expect(!stats.unchanged)
        #expect(stats.recognized > 0)
        #expect(stats.recognized < stats.regions, "only the popup's regions are read again")

        let cold = try TextLocator().recognize(frame)
        #expect(incremental == cold)

        // The same screen again: nothing is read, the answer is identical.
        #expect(try warm.recognize(frame) == cold)
        #expect(warm.lastStatistics.unchanged)
        // Told what changed (DAMAGE), the answer is identical too.
        #expect(try warm.recognize(frame, changed: [Rect(x: 700, y: 420, width: 420, height: 160)]) == cold)

        for target in popup.truth.targets {
            let found = try warm.locate(TextQuery(target.text), in: frame, windows: desktop.windows())
            #expect(found.first.map { target.rect.contains($0.point) } == true, "popup target '\(target.text)'")
        }
    }

    @Test func withinNearAndNthChooseAmongCandidates() throws {
        let desktop = try GroundingDesktop()
        // The same popup twice (the right one with more labels): the first labels are on the screen two times.
        let left = try LabelScene.start(scene: 5, seed: 21, on: desktop.session, geometry: "500x200+100+100", targets: 3)
        defer { left.stop() }
        let right = try LabelScene.start(scene: 5, seed: 21, on: desktop.session, geometry: "500x200+900+500", targets: 6)
        defer { right.stop() }
        let frame = try desktop.capture()
        let windows = desktop.windows()
        let label = try #require(left.truth.targets.first)
        let twin = try #require(right.truth.targets.first { $0.text == label.text })
        let locator = TextLocator()

        let both = try locator.locate(TextQuery(label.text), in: frame, windows: windows)
        #expect(both.count == 2, "ambiguity is reported: \(both)")

        let first = try locator.locate(TextQuery(label.text, nth: 1), in: frame, windows: windows)
        let second = try locator.locate(TextQuery(label.text, nth: 2), in: frame, windows: windows)
        #expect(first.count == 1 && label.rect.contains(first[0].point))
        #expect(second.count == 1 && twin.rect.contains(second[0].point))
        #expect(try locator.locate(TextQuery(label.text, nth: 3), in: frame, windows: windows).isEmpty)

        let rightWindow = try #require(right.truth.panels.first).id
        let inRight = try locator.locate(TextQuery(label.text, within: .window(rightWindow)), in: frame, windows: windows)
        #expect(inRight.count == 1 && twin.rect.contains(inRight[0].point))
        let inRegion = try locator.locate(TextQuery(label.text, within: .region(Rect(x: 0, y: 0, width: 800, height: 400))),
                                          in: frame, windows: windows)
        #expect(inRegion.count == 1 && label.rect.contains(inRegion[0].point))

        // Near a label only the right popup has, the right twin ranks first.
        let leftTexts = Set(left.truth.targets.map(\.text))
        let anchor = try #require(right.truth.targets.first { !leftTexts.contains($0.text) })
        let near = try locator.locate(TextQuery(label.text, near: anchor.text), in: frame, windows: windows)
        #expect(near.first.map { twin.rect.contains($0.point) } == true)

        #expect(throws: LocateFailure.self) {
            try locator.locate(TextQuery(label.text, near: "Xylophone"), in: frame, windows: windows)
        }
        #expect(throws: LocateFailure.self) {
            try locator.locate(TextQuery(label.text, within: .window("NoSuchWindow")), in: frame, windows: windows)
        }
    }

    @Test func anImageCutFromTheScreenIsFoundWhereItWas() throws {
        let desktop = try GroundingDesktop()
        let labels = try LabelScene.start(scene: 1, seed: 1, on: desktop.session)
        defer { labels.stop() }
        let frame = try desktop.capture()
        let button = try #require(labels.truth.targets.first { $0.kind == "button" })
        let template = try #require(frame.cropped(to: button.rect))
        let found = ImageLocator.locate(template: template, in: frame)
        #expect(found.first?.box == button.rect)
        #expect((found.first?.score ?? 0) > 0.99)
    }
}
