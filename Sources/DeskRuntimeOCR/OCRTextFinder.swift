import DeskCore
import DeskGrounding
import Foundation
import Synchronization

/// ``TextFinder`` over DeskGrounding's OCR. The locator (and with it the Tesseract models) is made on the
/// first call, so a run without text targets never loads it; one instance per run keeps its region cache
/// across steps, and the `local` dialect's planner shares it.
public final class OCRTextFinder: TextFinder, Sendable {
    private let made = Mutex<TextLocator?>(nil)
    public let languages: [String]

    public init(languages: [String] = ["eng"]) { self.languages = languages }

    /// The run's one locator, made on first use.
    public var locator: TextLocator {
        made.withLock { made in
            if let made { return made }
            let locator = TextLocator(languages: languages)
            made = locator
            return locator
        }
    }

    public func find(_ search: TextSearch, in frame: Frame, windows: [WindowSummary]) throws -> [FoundText] {
        let query = TextQuery(search.text, nth: search.nth, within: search.within.map(TextScope.init(parsing:)),
                              near: search.near)
        return try locator.locate(query, in: frame, windows: windows).map {
            FoundText(text: $0.text, point: $0.point, box: $0.box, score: $0.score)
        }
    }

    public func closestTexts(to text: String, limit: Int) -> [String] {
        made.withLock { $0 }?.closestTexts(to: text, limit: limit) ?? []
    }
}
