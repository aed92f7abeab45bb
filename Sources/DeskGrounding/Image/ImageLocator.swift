import DeskCore
import DeskImaging

/// Finds an image (`image: icon.png` targets, `deskpilot locate --image`) on a screen by normalised
/// cross-correlation on grayscale, coarse to fine (``TemplateMatcher``, BLAS).
public enum ImageLocator {
    /// The default minimum NCC score.
    public static let defaultThreshold = 0.9

    /// Places where `template` appears on `frame` scoring at least `threshold`, best first, in root-window
    /// pixels; each match's `text` is `name`.
    public static func locate(template: Frame, in frame: Frame, threshold: Double = defaultThreshold,
                              limit: Int = 16, name: String = "image") -> [TextMatch] {
        TemplateMatcher(template: template).matches(in: frame, threshold: threshold, limit: limit).map {
            match(from: $0, in: frame, name: name)
        }
    }

    /// The best place whatever its score (for "not found, best score 0.62" messages), or `nil` when the
    /// template is empty, flat or larger than the frame.
    public static func best(template: Frame, in frame: Frame, name: String = "image") -> TextMatch? {
        TemplateMatcher(template: template).matches(in: frame, threshold: -1, limit: 1).first.map {
            match(from: $0, in: frame, name: name)
        }
    }

    private static func match(from m: TemplateMatch, in frame: Frame, name: String) -> TextMatch {
        let box = Rect(x: m.rect.x + frame.origin.x, y: m.rect.y + frame.origin.y,
                       width: m.rect.width, height: m.rect.height)
        return TextMatch(text: name, box: box, score: m.score, grounder: Grounders.template)
    }
}
