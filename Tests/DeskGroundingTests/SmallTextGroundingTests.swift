import DeskCore
import DeskGrounding
import DeskX11
import Foundation
import Testing
import DeskTestSupport

/// OCR where there is no accessibility tree: small text (8–12 px, about 8–11 pt at 75–96 dpi) on light and
/// dark screens drawn by `deskpilot-labels` (scenes 6 and 7), the everyday words of toolbars and menus.
@Suite("OCR on small-text light and dark screens", .serialized, .ownThread)
struct SmallTextGroundingTests {
    /// A fixed set: two light and two dark screens, 40 labels each.
    static let scenes = [(6, 1), (6, 2), (7, 1), (7, 2)]

    @Test func locatesAtLeast98PercentOfSmallLabelsOnBothThemes() throws {
        let desktop = try GroundingDesktop()
        let locator = TextLocator()
        let firstPass = TextLocator(secondPass: false)
        var total = 0, hits = 0, firstHits = 0, misses: [String] = [], wrongAbsent: [String] = []
        var secondPassHits: [String] = []
        var byTheme: [String: (hits: Int, total: Int)] = [:]
        for (scene, seed) in Self.scenes {
            let labels = try LabelScene.start(scene: scene, seed: seed, on: desktop.session)
            defer { labels.stop() }
            let frame = try desktop.capture()
            let windows = desktop.windows()
            let theme = scene == 6 ? "light" : "dark"
            for target in labels.truth.targets {
                total += 1
                let found = try locator.locate(TextQuery(target.text), in: frame, windows: windows)
                let hit = found.first.map { target.rect.contains($0.point) } ?? false
                let reread = locator.lastStatistics.reread
                let first = try firstPass.locate(TextQuery(target.text), in: frame, windows: windows)
                if first.first.map({ target.rect.contains($0.point) }) == true { firstHits += 1 }
                if hit && reread > 0 {
                    // Found by the second pass: asking again on the same screen reads nothing more.
                    secondPassHits.append("'\(target.text)' \(target.size)px \(target.scheme)")
                    let again = try locator.locate(TextQuery(target.text), in: frame, windows: windows)
                    #expect(again.first?.point == found.first?.point)
                    #expect(locator.lastStatistics.reread == 0, "the second pass's readings are cached")
                }
                if hit { hits += 1 } else {
                    misses.append("scene \(scene)/\(seed) '\(target.text)' \(target.size)px \(target.scheme): "
                                  + (found.first.map(\.description) ?? "none; saw \(locator.closestTexts(to: target.text, limit: 2))"))
                }
                byTheme[theme, default: (0, 0)].hits += hit ? 1 : 0
                byTheme[theme, default: (0, 0)].total += 1
            }
            for word in labels.truth.absent {
                if let wrong = try locator.locate(TextQuery(word), in: frame, windows: windows).first {
                    wrongAbsent.append("scene \(scene)/\(seed) '\(word)' → \(wrong)")
                }
            }
        }
        #expect(total >= 150)
        for (theme, counts) in byTheme.sorted(by: { $0.key < $1.key }) {
            let rate = Double(counts.hits) / Double(max(1, counts.total))
            #expect(rate >= 0.98, "\(theme): located \(counts.hits)/\(counts.total); misses: \(misses.joined(separator: "; "))")
        }
        #expect(wrongAbsent.isEmpty, "confident answers for absent text: \(wrongAbsent)")
        #expect(hits >= firstHits, "the second pass never loses a label the first pass found")
        print("small text: located \(hits)/\(total) (first pass alone \(firstHits)/\(total)); "
              + "found by the second pass: \(secondPassHits.joined(separator: ", ")); misses: \(misses.joined(separator: "; "))")
    }
}
