import DeskCore
import DeskGrounding
import DeskX11
import Foundation
import Testing

/// OCR where there is no accessibility tree: small text (8–12 px, about 8–11 pt at 75–96 dpi) on light and
/// dark screens drawn by `deskpilot-labels` (scenes 6 and 7), the everyday words of toolbars and menus.
@Suite("OCR on small-text light and dark screens", .serialized)
struct SmallTextGroundingTests {
    /// A fixed set: two light and two dark screens, 40 labels each.
    static let scenes = [(6, 1), (6, 2), (7, 1), (7, 2)]

    @Test func locatesAtLeast98PercentOfSmallLabelsOnBothThemes() throws {
        let desktop = try GroundingDesktop()
        let locator = TextLocator()
        var total = 0, hits = 0, misses: [String] = [], wrongAbsent: [String] = []
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
        print("small text: located \(hits)/\(total); misses: \(misses.joined(separator: "; "))")
    }
}
