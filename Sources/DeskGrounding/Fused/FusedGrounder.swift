import DeskCore
import Foundation
import Synchronization

/// The fused grounder: a target is looked for in the accessibility tree first, then by OCR on the
/// screenshot (image targets go to template matching, see ``ImageLocator``). Every match says which grounder
/// found it.
///
/// The tree is read once per screen: while the frames passed in have the same pixels, the last tree is
/// reused; a changed screen is walked again. Without an accessibility bus (or for an application that
/// exposes no tree) text targets fall back to OCR, and only role/name targets fail.
///
/// One instance serves one run (the OCR region cache lives as long); calls are serialised.
public final class FusedGrounder: TextFinder, ElementFinder, Sendable {
    public let languages: [String]
    private let treeSource: (any A11yTreeSource)?
    private let state = Mutex(State())

    private struct State {
        var locator: TextLocator?
        var lastFrame: Frame?
        var lastTree: A11yTree?
        /// Why the tree could not be read, the last time it was tried.
        var treeProblem: String?
    }

    /// - Parameters:
    ///   - tree: the display's accessibility tree; nil when there is no bus (OCR only).
    ///   - languages: OCR languages.
    public init(tree: (any A11yTreeSource)?, languages: [String] = ["eng"]) {
        treeSource = tree
        self.languages = languages
    }

    /// Whether an accessibility tree is available at all.
    public var hasTree: Bool { treeSource != nil }

    /// The run's OCR locator, made on first use (loading the OCR models then).
    public var locator: TextLocator {
        state.withLock { s in
            if let l = s.locator { return l }
            let l = TextLocator(languages: languages)
            s.locator = l
            return l
        }
    }

    /// Why the last tree walk failed, when it did.
    public var treeProblem: String? { state.withLock { $0.treeProblem } }

    // MARK: - Tree

    /// The showing tree for `frame`: the last one again while the pixels are the same.
    /// - Throws: `EnvironmentError` when there is no accessibility bus or the walk timed out.
    public func tree(for frame: Frame?) throws -> A11yTree {
        guard let treeSource else {
            throw EnvironmentError("there is no accessibility bus on this display (see README: accessibility)")
        }
        if let frame, let cached = state.withLock({ s -> A11yTree? in
            guard let last = s.lastFrame, let tree = s.lastTree, last.origin == frame.origin,
                  TextLocator.samePixels(last, frame) else { return nil }
            return tree
        }) {
            return cached
        }
        do {
            let tree = try treeSource.walk(all: false)
            state.withLock { s in
                s.lastFrame = frame
                s.lastTree = tree
                s.treeProblem = nil
            }
            return tree
        } catch {
            state.withLock { s in
                s.lastFrame = nil
                s.lastTree = nil
                s.treeProblem = "\(error)"
            }
            throw error
        }
    }

    /// Forgets the cached tree (the next call walks again).
    public func invalidateTree() {
        state.withLock { s in
            s.lastFrame = nil
            s.lastTree = nil
        }
    }

    // MARK: - Elements

    public func find(_ query: ElementQuery, in frame: Frame, windows: [WindowSummary]) throws -> [FoundElement] {
        let tree = try tree(for: frame)
        return try ElementLocator.locate(query, in: tree, windows: windows, screen: frame.rect) { [self] near in
            try locator.locate(TextQuery(near), in: frame, windows: windows).first?.box
        }
    }

    // MARK: - Text

    /// Every place that says `query.text`: from the tree when it has an element of that name (the
    /// element's box), else from OCR. Fuzzy tree matches give way to a better OCR match.
    public func locate(_ query: TextQuery, in frame: Frame, windows: [WindowBox]) throws -> [TextMatch] {
        var fromTree: [TextMatch] = []
        if treeSource != nil, let tree = try? tree(for: frame) {
            let elements = try ElementLocator.locate(
                ElementQuery(name: query.text, nth: query.nth, near: query.near), in: tree, windows: windows,
                screen: frame.rect, scope: query.within) { [self] near in
                    try locator.locate(TextQuery(near), in: frame, windows: windows).first?.box
                }
            fromTree = elements.filter { $0.score >= query.minimumScore }.map {
                TextMatch(text: $0.node.label, box: $0.node.box, point: $0.point, score: $0.score,
                          grounder: Grounders.a11y, role: $0.node.role)
            }
            if let best = fromTree.first, best.score >= ElementLocator.foldedScore - 0.03 { return fromTree }
        }
        let fromOCR = try locator.locate(query, in: frame, windows: windows)
        if let tree = fromTree.first, (fromOCR.first?.score ?? 0) < tree.score { return fromTree }
        return fromOCR.isEmpty ? fromTree : fromOCR
    }

    public func find(_ search: TextSearch, in frame: Frame, windows: [WindowSummary]) throws -> [FoundText] {
        let query = TextQuery(search.text, nth: search.nth, within: search.within.map(TextScope.init(parsing:)),
                              near: search.near)
        return try locate(query, in: frame, windows: windows).map {
            FoundText(text: $0.text, point: $0.point, box: $0.box, score: $0.score, grounder: $0.grounder, role: $0.role)
        }
    }

    /// Names in the tree and texts OCR read that come closest to `text`.
    public func closestTexts(to text: String, limit: Int = 5) -> [String] {
        let (tree, ocr) = state.withLock { ($0.lastTree, $0.locator) }
        var out = tree.map { ElementLocator.closestNames(to: text, in: $0, limit: limit) } ?? []
        for t in ocr?.closestTexts(to: text, limit: limit) ?? [] where !out.contains(t) { out.append(t) }
        return Array(out.prefix(limit))
    }
}
