/// Set-of-Mark: numbered boxes over what a model may act on, from the accessibility tree and OCR, and the
/// table that tells the model what each number is.
public enum SetOfMarks {
    /// Candidates for marks: an element's box and what to call it.
    public struct Candidate: Sendable, Hashable {
        public var box: Rect
        /// `push button "OK"`, `text "Search"`.
        public var label: String
        /// From the tree (wins over OCR text where they overlap).
        public var fromTree: Bool

        public init(box: Rect, label: String, fromTree: Bool) {
            self.box = box
            self.label = label
            self.fromTree = fromTree
        }
    }

    /// At most this many marks (a model reading a longer table does worse, and the image gets crowded).
    public static let limit = 200

    /// The actionable elements of `tree` on `screen` as candidates: showing, not empty, centre on screen.
    public static func candidates(from tree: A11yTree, screen: Rect) -> [Candidate] {
        tree.nodes.compactMap { node in
            guard node.depth >= 2, node.isActionable, !node.box.isEmpty,
                  !A11yRole.windowRoles.contains(A11yRole.normalized(node.role)),
                  screen.contains(node.box.center) else { return nil }
            let name = node.label.trimmingCharacters(in: .whitespaces)
            return Candidate(box: node.box, label: name.isEmpty ? node.role : "\(node.role) \"\(name)\"", fromTree: true)
        }
    }

    /// Numbered marks, 1 up, in reading order (top to bottom, then left to right): tree elements first
    /// claim their area; an OCR text whose centre lies inside a tree element, or that overlaps a kept mark by
    /// more than half of the smaller box, adds no mark. Nested tree elements keep the inner one.
    public static func marks(_ candidates: [Candidate]) -> [ObservationMark] {
        var kept: [Candidate] = []
        let tree = candidates.filter(\.fromTree)
        for c in tree {
            // An element that holds another candidate of the tree is a container: its inner one is the target.
            if tree.contains(where: { $0 != c && c.box.contains($0.box) && $0.box != c.box }) { continue }
            if kept.contains(where: { $0.box == c.box }) { continue }
            kept.append(c)
        }
        for c in candidates where !c.fromTree {
            if kept.contains(where: { $0.box.contains(c.box.center) || overlap($0.box, c.box) > 0.5 }) { continue }
            kept.append(c)
        }
        let ordered = kept.sorted { a, b in
            // Rows: boxes whose tops are within half the smaller height are on one line.
            let rowTolerance = max(4, min(a.box.height, b.box.height) / 2)
            if abs(a.box.y - b.box.y) > rowTolerance { return a.box.y < b.box.y }
            return a.box.x < b.box.x
        }
        return ordered.prefix(limit).enumerated().map { ObservationMark(id: $0.offset + 1, box: $0.element.box, label: $0.element.label) }
    }

    /// Intersection over the smaller area.
    static func overlap(_ a: Rect, _ b: Rect) -> Double {
        let x0 = max(a.x, b.x), y0 = max(a.y, b.y)
        let x1 = min(a.x + a.width, b.x + b.width), y1 = min(a.y + a.height, b.y + b.height)
        guard x1 > x0, y1 > y0 else { return 0 }
        let smaller = min(a.width * a.height, b.width * b.height)
        return smaller > 0 ? Double((x1 - x0) * (y1 - y0)) / Double(smaller) : 0
    }

    /// The mark table for the model: one line per mark, `[17] push button "OK" at (x, y) size WxH`, in the
    /// screen's pixels (what the marks were drawn on).
    public static func table(_ marks: [ObservationMark]) -> String {
        marks.map { m in
            "[\(m.id)] \(clean(m.label ?? "element")) at (\(m.box.x), \(m.box.y)) size \(m.box.width)x\(m.box.height)"
        }.joined(separator: "\n")
    }

    /// A label on one line, at most 80 characters.
    static func clean(_ s: String) -> String {
        let flat = String(s.map { $0.isNewline || $0 == "\t" ? " " : $0 })
        return flat.count > 80 ? String(flat.prefix(77)) + "…" : flat
    }
}
