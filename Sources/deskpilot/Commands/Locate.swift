import ArgumentParser
import DeskCore
import DeskGrounding
import DeskImaging
import DeskRuntime
import DeskX11
import Foundation

/// `deskpilot locate`: where a text (OCR) or an image is on the screen.
struct Locate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find text (OCR) or an image on the screen and print where it is.",
        discussion: """
            Text matches whole words and phrases, ignoring case and tolerating one OCR error in each word of \
            four or more letters. Prints the best match as `X Y  box X,Y,W,H  score S  'TEXT'` (or JSON with \
            --json); exits 1 when nothing matches, naming the closest texts it saw.
            """)

    @OptionGroup var displayOptions: DisplayOptions

    @Argument(help: "The text to find (a word or a phrase).")
    var text: String?

    @Option(name: .long, help: "Find this PNG image instead of text.")
    var image: String?

    @Flag(name: .long, help: "Print JSON Lines, one match per line: {\"box\": {x, y, width, height}, \"point\": {x, y}, \"score\": s, \"source\": \"ocr\"|\"image\", \"text\": t}.")
    var json = false

    @Flag(name: .long, help: "Print every match, ranked (one JSON line each with --json).")
    var all = false

    @Option(name: .long, help: "Take the N-th match (1-based) in reading order: top to bottom, left to right.")
    var nth: Int?

    @Option(name: .long, help: "Only inside this window (id, WM_CLASS, or part of its title) or region X,Y,W,H.")
    var within: String?

    @Option(name: .long, help: "Rank matches by their distance to this other text.")
    var near: String?

    @Option(name: .long, help: "OCR languages, e.g. eng, deu, eng+fra (each needs tesseract-ocr-<lang>).")
    var lang = "eng"

    @Option(name: .long, help: "Minimum score, 0-1 (default 0.7 for text, 0.9 for images).")
    var threshold: Double?

    func validate() throws {
        if (text == nil) == (image == nil) { throw ValidationError("give either a TEXT to find or --image FILE") }
        if let text, text.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("the text to find is empty") }
        if let nth, nth < 1 { throw ValidationError("--nth is 1-based (got \(nth))") }
        if let threshold, !(0...1).contains(threshold) { throw ValidationError("--threshold must be between 0 and 1") }
        if image != nil && near != nil { throw ValidationError("--near applies to text, not to --image") }
        if languages.isEmpty || languages.contains(where: { !$0.allSatisfy { $0.isLetter || $0 == "_" } }) {
            throw ValidationError("--lang wants Tesseract language codes like eng, deu or eng+fra (got '\(lang)')")
        }
    }

    private var languages: [String] {
        lang.split(whereSeparator: { $0 == "+" || $0 == "," }).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }

    func run() throws {
        // Read the template before touching the display: a bad file is a usage error (exit 2).
        var template: Frame?
        if let image {
            let bytes: Data
            do { bytes = try Data(contentsOf: URL(fileURLWithPath: image)) } catch {
                throw InputError("cannot read the image \(image): \(error.localizedDescription)")
            }
            do { template = try PNGCodec.decode([UInt8](bytes)) } catch {
                throw InputError("\(image) is not a PNG image deskpilot can read: \(error)")
            }
        }
        let context = try displayOptions.open()
        let frame = try ScreenCapturer(display: context.display).capture(.root)
        let windows = context.display.windows().map {
            WindowBox(id: $0.id, instance: $0.instance, className: $0.className, title: $0.title, rect: $0.rect)
        }
        let scope = within.map(TextScope.init(parsing:))
        var matches: [TextMatch]
        if let template, let image {
            matches = try locateImage(template, named: image, in: frame, windows: windows, scope: scope)
        } else {
            let query = TextQuery(text ?? "", nth: nth, within: scope, near: near,
                                  minimumScore: threshold ?? TextQuery.defaultThreshold)
            let locator = TextLocator(languages: languages)
            matches = try locator.locate(query, in: frame, windows: windows)
            guard !matches.isEmpty else {
                let place = scope.map { " in \($0)" } ?? " on the screen"
                let which = nth.map { " (a match number \($0))" } ?? ""
                throw LocateFailure("no text matching '\(text ?? "")'\(which)\(place)",
                                    closest: locator.closestTexts(to: text ?? ""))
            }
        }
        if !all { matches = Array(matches.prefix(1)) }
        if json {
            let shaped = matches.map { LocatedMatch(text: $0.text, box: $0.box, point: $0.point, score: $0.score, source: template != nil ? "image" : "ocr") }
            try JSONOutput.printLines(shaped)
            return
        }
        for m in matches {
            print("\(m.point.x) \(m.point.y)  box \(m.box.x),\(m.box.y),\(m.box.width),\(m.box.height)  "
                  + "score \(String(format: "%.3f", m.score))  '\(m.text)'")
        }
    }

    private func locateImage(_ template: Frame, named path: String, in frame: Frame, windows: [WindowBox],
                             scope: TextScope?) throws -> [TextMatch] {
        let name = (path as NSString).lastPathComponent
        let minimum = threshold ?? ImageLocator.defaultThreshold
        let searchFrame: Frame
        if let scope {
            let area = try scope.area(windows: windows)
            let local = Rect(x: area.x - frame.origin.x, y: area.y - frame.origin.y, width: area.width, height: area.height)
            guard let clipped = local.intersection(Rect(x: 0, y: 0, width: frame.width, height: frame.height)),
                  let cropped = frame.cropped(to: clipped) else {
                throw LocateFailure("\(scope) is off the screen")
            }
            searchFrame = cropped
        } else {
            searchFrame = frame
        }
        var matches = ImageLocator.locate(template: template, in: searchFrame, threshold: minimum,
                                          limit: all || nth != nil ? 64 : 4, name: name)
        if let scope { matches = matches.filter { scope.contains($0.point, windows: windows) } }
        if let nth {
            let ordered = matches.sorted { ($0.box.y, $0.box.x) < ($1.box.y, $1.box.x) }
            matches = nth <= ordered.count ? [ordered[nth - 1]] : []
        }
        guard !matches.isEmpty else {
            let best = ImageLocator.best(template: template, in: searchFrame, name: name)
            let detail = best.map { " (best score \(String(format: "%.3f", $0.score)) at \($0.point.x),\($0.point.y))" } ?? ""
            throw LocateFailure("the image \(path) is not on the screen with a score of \(minimum) or more\(detail)")
        }
        return matches
    }
}
