import Foundation

/// The accessibility tree of a display's applications at one moment, pruned to what is showing unless read
/// with every node.
public struct A11yTree: Sendable, Hashable, Codable {
    /// Applications (depth 0), their windows (depth 1) and what is inside them, parents before children.
    public var nodes: [A11yNode]
    /// Applications that answered but expose no windows (a Chromium without accessibility switched on).
    public var emptyApps: [String]
    /// What went wrong on the way (an application that did not answer in time), one line each.
    public var problems: [String]
    /// Seconds the walk took.
    public var seconds: Double

    public init(nodes: [A11yNode] = [], emptyApps: [String] = [], problems: [String] = [], seconds: Double = 0) {
        self.nodes = nodes
        self.emptyApps = emptyApps
        self.problems = problems
        self.seconds = seconds
    }

    /// The top-level windows (depth 1).
    public var windows: [A11yNode] { nodes.filter { $0.depth == 1 } }

    /// The node with the id, when there is one.
    public subscript(id: Int) -> A11yNode? { nodes.indices.contains(id) && nodes[id].id == id ? nodes[id] : nodes.first { $0.id == id } }

    /// Nodes inside the window with id `window` (the window itself included).
    public func nodes(inWindow window: Int) -> [A11yNode] { nodes.filter { $0.window == window } }

    /// The top-level X window (of `xWindows`, bottom to top) that shows the accessible window `node`: the
    /// one whose rectangle overlaps it most (a matching title breaks ties), or nil.
    public static func xWindow(for node: A11yNode, in xWindows: [WindowSummary]) -> WindowSummary? {
        var best: (window: WindowSummary, score: Double)?
        for w in xWindows {
            guard let i = w.rect.intersection(node.box) else { continue }
            let union = Double(w.rect.width * w.rect.height + node.box.width * node.box.height - i.width * i.height)
            var score = Double(i.width * i.height) / max(1, union)
            if !node.name.isEmpty && node.name == w.title { score += 0.5 }
            if score > 0.3, score > (best?.score ?? 0) { best = (w, score) }
        }
        return best?.window
    }

    /// The X windows (of `xWindows`) that no accessible window accounts for: applications without a tree.
    public func windowsWithoutTree(_ xWindows: [WindowSummary]) -> [WindowSummary] {
        let covered = Set(windows.compactMap { Self.xWindow(for: $0, in: xWindows)?.id })
        return xWindows.filter { !covered.contains($0.id) && !$0.rect.isEmpty }
    }

    /// A tree of just the windows `keep` accepts and what is inside them (applications kept as parents), ids
    /// renumbered.
    public func filteringWindows(_ keep: (A11yNode) -> Bool) -> A11yTree {
        let kept = Set(windows.filter(keep).map(\.id))
        let apps = Set(nodes.filter { kept.contains($0.id) }.compactMap(\.parent))
        return renumbered(nodes.filter { ($0.window.map(kept.contains) ?? false) || apps.contains($0.id) })
    }

    /// A tree of the nodes at most `depth` levels below their window (applications and windows kept).
    public func limitingDepth(_ depth: Int) -> A11yTree {
        renumbered(nodes.filter { $0.depth <= depth + 1 })
    }

    /// The same nodes with ids 0… in order, parents and windows mapped along.
    func renumbered(_ kept: [A11yNode]) -> A11yTree {
        var map: [Int: Int] = [:]
        for (i, n) in kept.enumerated() { map[n.id] = i }
        let nodes = kept.enumerated().map { i, n -> A11yNode in
            var m = n
            m.id = i
            m.parent = n.parent.flatMap { map[$0] }
            m.window = n.window.flatMap { map[$0] }
            return m
        }
        return A11yTree(nodes: nodes, emptyApps: emptyApps, problems: problems, seconds: seconds)
    }
}

extension A11yTree {
    /// The nodes `keep` accepts (and only those), ids renumbered.
    public func renumberedKeeping(_ keep: (A11yNode) -> Bool) -> A11yTree { renumbered(nodes.filter(keep)) }
}
