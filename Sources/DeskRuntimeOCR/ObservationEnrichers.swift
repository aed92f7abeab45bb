import DeskAgent
import DeskCore
import DeskGrounding
import DeskImaging
import Foundation

/// The observation modes' enrichers over the fused grounder: the accessibility tree as text
/// (`a11y`, `screenshot+a11y`), and Set-of-Mark marks from the tree and OCR drawn on the screenshot (`som`).
public enum ObservationEnrichers {
    /// What `mode` adds to each step's screenshot.
    /// - Throws: `EnvironmentError` (exit 3) when the mode needs the accessibility tree and the display has none.
    public static func make(_ mode: ObservationMode, grounder: FusedGrounder,
                            treeTokenBudget: Int = 4000) throws -> [any ObservationEnricher] {
        switch mode {
        case .screenshot:
            return []
        case .a11y, .screenshotA11y:
            guard grounder.hasTree else {
                throw EnvironmentError("--observe \(mode) needs the accessibility tree, and this display has no accessibility bus (use --headless --desktop openbox, or see README: accessibility)")
            }
            return [TreeText(grounder: grounder, screenshot: mode.sendsScreenshot, tokenBudget: treeTokenBudget)]
        case .som:
            return [Marks(grounder: grounder)]
        }
    }

    /// The tree, linearized within a token budget.
    struct TreeText: ObservationEnricher {
        let grounder: FusedGrounder
        let screenshot: Bool
        let tokenBudget: Int

        func enrich(_ observation: inout Observation) throws {
            let tree = try grounder.tree(for: observation.frame)
            observation.accessibilityTree = A11yLinearizer.linearize(tree, tokenBudget: tokenBudget)
            observation.sendsScreenshot = screenshot
        }
    }

    /// Numbered marks over what the tree says is actionable and what OCR reads where the tree has nothing
    /// (an application without a tree gets marks from OCR alone).
    struct Marks: ObservationEnricher {
        let grounder: FusedGrounder

        func enrich(_ observation: inout Observation) throws {
            let frame = observation.frame
            var candidates: [SetOfMarks.Candidate] = []
            if grounder.hasTree, let tree = try? grounder.tree(for: frame) {
                candidates += SetOfMarks.candidates(from: tree, screen: frame.rect)
            }
            for line in try grounder.locator.recognize(frame) {
                let pieces = line.words.count <= 4 && line.text.count <= 40 ? [(line.text, line.box)] : line.words.map { ($0.text, $0.box) }
                for (text, box) in pieces where !text.trimmingCharacters(in: .whitespaces).isEmpty && !box.isEmpty {
                    candidates.append(SetOfMarks.Candidate(box: box, label: "text \"\(text)\"", fromTree: false))
                }
            }
            let marks = SetOfMarks.marks(candidates)
            observation.marks = marks
            observation.markedFrame = MarkPainter.paint(frame, marks: marks)
        }
    }
}
