import DeskCore

/// Finds elements of an accessibility tree by role, name and states: `locate --role/--name`, `element:`
/// targets, waits and checks, and the tree half of the fused grounder.
///
/// Names are compared as text is today: exactly first, then ignoring case and stray punctuation, then
/// tolerating small differences (one error in a word of four or more letters, the name holding the query as
/// whole words). Only the best of those tiers that has a match is returned. An element hidden behind another
/// window is not a match: the topmost X window at its centre must be its own.
public enum ElementLocator {
    /// Scores of the three tiers.
    public static let exactScore = 1.0
    public static let foldedScore = 0.97
    static let fuzzyCeiling = 0.9

    /// Matches of `query` in `tree`, best first (nearest the `near` anchor first; with `nth`, only that one).
    /// - Parameters:
    ///   - windows: the top-level X windows, bottom to top (for `within` and occlusion).
    ///   - screen: the screen's rectangle; elements whose centre is off it are left out.
    ///   - anchor: finds the `near` anchor when no element has that name (the fused grounder passes OCR).
    /// - Throws: ``LocateFailure`` when the `within` window or the `near` anchor is not there.
    ///   - scope: the `within` scope when the caller has it parsed already (else `query.within` is read).
    public static func locate(_ query: ElementQuery, in tree: A11yTree, windows: [WindowBox], screen: Rect?,
                              scope given: TextScope? = nil,
                              anchor: ((String) throws -> Rect?)? = nil) throws -> [FoundElement] {
        let scope = given ?? query.within.map(TextScope.init(parsing:))
        if let scope { _ = try scope.area(windows: windows) }
        var found = candidates(query, in: tree, windows: windows, screen: screen, scope: scope)
        if let near = query.near {
            let nearQuery = ElementQuery(name: near)
            var anchorBox = candidates(nearQuery, in: tree, windows: windows, screen: screen, scope: nil).first?.node.box
            if anchorBox == nil { anchorBox = try anchor?(near) }
            guard let anchorBox else { throw LocateFailure("the --near text '\(near)' is not on the screen") }
            let centre = anchorBox.center
            found = found.filter { $0.node.box != anchorBox }
            func distance(_ f: FoundElement) -> Int {
                let dx = f.point.x - centre.x, dy = f.point.y - centre.y
                return dx * dx + dy * dy
            }
            found.sort { distance($0) < distance($1) }
        }
        if let nth = query.nth {
            let ordered = found.sorted { readingOrder($0.node.box, $1.node.box) }
            return nth >= 1 && nth <= ordered.count ? [ordered[nth - 1]] : []
        }
        return found
    }

    /// The matching elements of the best tier, actionable ones before the rest, then in reading order.
    static func candidates(_ query: ElementQuery, in tree: A11yTree, windows: [WindowBox], screen: Rect?,
                           scope: TextScope?) -> [FoundElement] {
        let wantedStates = query.states.map(A11yStates.normalized)
        var scored: [FoundElement] = []
        for node in tree.nodes where node.depth >= 1 && !node.box.isEmpty {
            if let role = query.role, !A11yRole.matches(role, node.role) { continue }
            if !wantedStates.allSatisfy({ node.states.contains($0) }) { continue }
            let point = visiblePoint(node, screen: screen)
            guard let point else { continue }
            if let scope, !scope.contains(point, windows: windows) { continue }
            if !isOnTop(node, at: point, tree: tree, windows: windows) { continue }
            let score: Double
            if let name = query.name {
                guard let s = nameScore(name, node) else { continue }
                score = s
            } else {
                score = exactScore
            }
            scored.append(FoundElement(node: node, point: point, score: score))
        }
        guard let best = scored.map(\.score).max() else { return [] }
        let tier: (Double) -> Int = { $0 >= exactScore ? 0 : $0 >= foldedScore - 0.03 ? 1 : 2 }
        let kept = scored.filter { tier($0.score) == tier(best) }
        return dropNested(kept).sorted {
            if $0.score != $1.score { return $0.score > $1.score }
            if $0.node.isActionable != $1.node.isActionable { return $0.node.isActionable }
            return readingOrder($0.node.box, $1.node.box)
        }
    }

    /// How well `node`'s name (else its text or description) matches `query`, or nil.
    public static func nameScore(_ query: String, _ node: A11yNode) -> Double? {
        var best: Double?
        for label in [node.name, node.text ?? "", node.description] where !label.isEmpty {
            if let s = textScore(query, label), s > (best ?? -1) { best = s }
            if !node.name.isEmpty { break }
        }
        return best
    }

    /// Exact 1, folded 0.97 (0.95 for punctuation), fuzzy below 0.9, nil for no match.
    public static func textScore(_ query: String, _ label: String) -> Double? {
        let q = query.trimmingCharacters(in: .whitespaces), l = label.trimmingCharacters(in: .whitespaces)
        if q == l { return exactScore }
        if q.lowercased() == l.lowercased() { return foldedScore }
        let fq = TextFolding.fold(q), fl = TextFolding.fold(l)
        guard !fq.isEmpty, !fl.isEmpty else { return nil }
        if fq == fl { return foldedScore - 0.02 }
        // Near misses: a typo, or the query as whole words of a longer name (`Save` in `Save As…`).
        let allowed = TextFolding.allowedErrors(length: fq.count)
        if allowed > 0 {
            let d = EditDistance.distance(fq, fl, limit: allowed)
            if d <= allowed { return fuzzyCeiling - 0.08 * Double(d) }
        }
        let qWords = TextFolding.words(fq).map(TextFolding.fold), lWords = TextFolding.words(fl).map(TextFolding.fold)
        if !qWords.isEmpty, lWords.count > qWords.count {
            for start in 0...(lWords.count - qWords.count) where Array(lWords[start..<(start + qWords.count)]) == qWords {
                return fuzzyCeiling - 0.1 - 0.02 * Double(lWords.count - qWords.count)
            }
        }
        return nil
    }

    /// The node's centre when it is on the screen (the visible part's centre when the box sticks out).
    static func visiblePoint(_ node: A11yNode, screen: Rect?) -> Point? {
        guard let screen else { return node.box.center }
        guard let visible = node.box.intersection(screen) else { return nil }
        return visible.center
    }

    /// Whether the X window on top at `point` is the one showing the node's window (true when unknown).
    static func isOnTop(_ node: A11yNode, at point: Point, tree: A11yTree, windows: [WindowBox]) -> Bool {
        guard !windows.isEmpty, let windowID = node.window, let window = tree[windowID] else { return true }
        guard let own = A11yTree.xWindow(for: window, in: windows) else { return true }
        guard let top = windows.last(where: { $0.rect.contains(point) }) else { return true }
        return top.id == own.id
    }

    /// Of a match and a match inside it with the same label (a button and its label), keeps the actionable
    /// one, else the outer one (on equal boxes, the one walked first).
    static func dropNested(_ found: [FoundElement]) -> [FoundElement] {
        func dominates(_ o: FoundElement, _ f: FoundElement) -> Bool {
            guard o.node.id != f.node.id, o.node.label == f.node.label, o.node.box.contains(f.node.box) else { return false }
            if o.node.isActionable != f.node.isActionable { return o.node.isActionable }
            if o.node.box == f.node.box { return o.node.id < f.node.id }
            return true
        }
        return found.filter { f in !found.contains { dominates($0, f) } }
    }

    /// Top to bottom by line (centres within half a line), then left to right.
    static func readingOrder(_ a: Rect, _ b: Rect) -> Bool {
        let ay = a.y + a.height / 2, by = b.y + b.height / 2
        let tolerance = max(4, min(a.height, b.height) / 2)
        if abs(ay - by) > tolerance { return ay < by }
        return a.x < b.x
    }

    /// Names in the tree that come closest to `text`, for "not found" messages.
    public static func closestNames(to text: String, in tree: A11yTree, limit: Int = 5) -> [String] {
        let target = TextFolding.compact(text)
        var scored: [String: Double] = [:]
        for node in tree.nodes where node.depth >= 1 && !node.label.isEmpty {
            let c = TextFolding.compact(node.label)
            let s = target.isEmpty || c.isEmpty ? (node.label == text ? 1 : 0) : EditDistance.similarity(target, c)
            if s > (scored[node.label] ?? -1) { scored[node.label] = s }
        }
        return scored.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .filter { $0.value > 0.3 }.prefix(limit).map(\.key)
    }
}
