import ArgumentParser
import DeskCLI
import DeskCore
import DeskGrounding
import DeskImaging
import DeskRuntime
import DeskRuntimeOCR
import DeskX11
import Foundation

/// `deskpilot locate`: where a text, an element of the accessibility tree or an image is on the screen.
struct Locate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find text, an accessible element (role/name) or an image on the screen and print where it is.",
        discussion: """
            Text is looked for in the accessibility tree first (element names), then by OCR, matching whole \
            words and phrases, ignoring case and tolerating one OCR error in each word of four or more letters. \
            --role/--name find an element of the tree: the name exactly, then ignoring case, then tolerating \
            small differences; the role as AT-SPI spells it (button also matches push and toggle buttons). \
            Prints the best match as `X Y  box X,Y,W,H  score S  'TEXT'  via GROUNDER` (or JSON with --json: \
            {"point": {x, y}, "box": {x, y, width, height}, "score", "text", "grounder", "role"}); exits 1 when \
            nothing matches, naming the closest texts it saw.
            """)

    @OptionGroup var displayOptions: DisplayOptions

    @Argument(help: "The text to find (a word or a phrase).")
    var text: String?

    @Option(name: .long, help: "Find this PNG image instead of text.")
    var image: String?

    @Option(name: .long, help: "Find an accessible element of this role (push button, check box, text…; button, checkbox, textbox…).")
    var role: String?

    @Option(name: .long, help: "Find an accessible element with this name.")
    var name: String?

    @Option(name: .long, parsing: .upToNextOption, help: "With --role/--name: states the element must have (checked focused…).")
    var state: [String] = []

    @Option(name: .long, help: "For TEXT: auto (the accessibility tree, then OCR), a11y, or ocr.")
    var grounder: GrounderChoice = .auto

    @Flag(name: .long, help: "Print JSON Lines, one match per line: {\"box\": {x, y, width, height}, \"point\": {x, y}, \"score\": s, \"source\": \"a11y\"|\"ocr\"|\"image\", \"text\": t, \"role\", \"name\"}.")
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

    var isElement: Bool { role != nil || name != nil }

    func validate() throws {
        let kinds = [text != nil, image != nil, isElement].filter { $0 }.count
        if kinds != 1 { throw ValidationError("give one of: a TEXT to find, --image FILE, or --role ROLE and/or --name NAME") }
        if !state.isEmpty && !isElement { throw ValidationError("--state applies to --role/--name") }
        if let name, name.isEmpty { throw ValidationError("--name is empty") }
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
        } else if isElement {
            matches = try locateElement(in: frame, windows: windows, context: context)
        } else {
            let query = TextQuery(text ?? "", nth: nth, within: scope, near: near,
                                  minimumScore: threshold ?? TextQuery.defaultThreshold)
            let locator: any TextGrounder
            switch grounder {
            case .ocr:
                locator = TextLocator(languages: languages)
            case .auto:
                locator = A11yAccess.grounder(context, languages: languages).grounder
            case .a11y:
                locator = A11yOnlyLocator(grounder: FusedGrounder(tree: try A11yAccess.connect(context)))
            }
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
            try JSONOutput.printLines(matches.map(LocatedMatch.init))
            return
        }
        for m in matches {
            print("\(m.point.x) \(m.point.y)  box \(m.box.x),\(m.box.y),\(m.box.width),\(m.box.height)  "
                  + "score \(String(format: "%.3f", m.score))  '\(m.text)'  via \(m.grounder)" + (m.role.map { " (\($0))" } ?? ""))
        }
    }

    /// `--role/--name`: elements of the accessibility tree.
    private func locateElement(in frame: Frame, windows: [WindowBox], context: DisplayContext) throws -> [TextMatch] {
        let grounder = FusedGrounder(tree: try A11yAccess.connect(context), languages: languages)
        let query = ElementQuery(role: role, name: name, states: state, nth: nth, within: within, near: near)
        let found = try grounder.find(query, in: frame, windows: windows)
            .filter { $0.score >= (threshold ?? TextQuery.defaultThreshold) }
        guard !found.isEmpty else {
            let closest = name.map { grounder.closestTexts(to: $0, limit: 5) } ?? []
            throw LocateFailure("no \(query) on the screen", closest: closest)
        }
        return found.map {
            TextMatch(text: $0.node.label, box: $0.node.box, point: $0.point, score: $0.score, grounder: Grounders.a11y,
                      role: $0.node.role)
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

/// `locate --grounder`.
enum GrounderChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, a11y, ocr
}

/// The tree half of the fused grounder alone (`locate TEXT --grounder a11y`).
final class A11yOnlyLocator: TextGrounder, Sendable {
    let grounder: FusedGrounder
    init(grounder: FusedGrounder) { self.grounder = grounder }

    func locate(_ query: TextQuery, in frame: Frame, windows: [WindowBox]) throws -> [TextMatch] {
        let tree = try grounder.tree(for: frame)
        return try ElementLocator.locate(ElementQuery(name: query.text, nth: query.nth, near: query.near), in: tree,
                                         windows: windows, screen: frame.rect, scope: query.within)
            .filter { $0.score >= query.minimumScore }
            .map { TextMatch(text: $0.node.label, box: $0.node.box, point: $0.point, score: $0.score,
                             grounder: Grounders.a11y, role: $0.node.role) }
    }

    func closestTexts(to text: String, limit: Int) -> [String] { grounder.closestTexts(to: text, limit: limit) }
}
