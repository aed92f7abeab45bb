import DeskCore
import DeskGrounding
import DeskImaging
import DeskX11
import Foundation

/// Names where a recorded press went, from the snapshot taken just before it, in the order the recorder
/// prefers: the accessibility element (role and name), the text under the pointer (OCR), a template image
/// saved beside the task, a point inside the window, root coordinates. A name is written only when it resolves back to the pressed point on that
/// same screen — the check a replay will make.
struct RecordedTargetNamer {
    let locator: TextLocator
    /// Where template images go, and how they are named: `<stem>-NN.png` beside the task file.
    let taskDirectory: URL
    let taskStem: String
    private(set) var imageFiles: [String] = []

    init(locator: TextLocator, taskPath: URL) {
        self.locator = locator
        taskDirectory = taskPath.deletingLastPathComponent()
        taskStem = taskPath.deletingPathExtension().lastPathComponent
    }

    /// The most robust target for `point` on `snapshot`, whose accessibility tree (from before the press,
    /// when the display has one) is `tree`.
    mutating func name(_ point: Point, on snapshot: DesktopSnapshot?, tree: A11yTree? = nil) -> RecordedTarget {
        guard let snapshot else { return .at(point) }
        let windows = snapshot.windows.map(Self.summary)
        if let tree, let element = Self.elementTarget(point, tree: tree, windows: windows, screen: snapshot.frame.rect) {
            return element
        }
        if let text = textTarget(point, frame: snapshot.frame, windows: windows) { return .text(text) }
        if let file = imageTarget(point, frame: snapshot.frame) { return .image(file: file) }
        if let window = snapshot.window(at: point), !window.className.isEmpty {
            let inside = point - window.rect.origin
            let sameClass = snapshot.windows.filter { $0.className == window.className }
            if sameClass.count == 1 { return .inWindow(className: window.className, at: inside) }
        }
        return .at(point)
    }

    /// The innermost named element under the pointer that people act on (a button, a menu item, a field),
    /// when a replay looking for its role and name finds that same element first.
    static func elementTarget(_ point: Point, tree: A11yTree, windows: [WindowSummary], screen: Rect) -> RecordedTarget? {
        let under = tree.nodes.filter {
            $0.depth >= 1 && $0.box.contains(point) && $0.isActionable
                && !A11yRole.windowRoles.contains(A11yRole.normalized($0.role))
                && !$0.name.trimmingCharacters(in: .whitespaces).isEmpty && $0.name.count <= 80
        }
        for node in under.sorted(by: { $0.depth > $1.depth }) {
            // GTK pads menu items' names with the spaces that align their accelerators.
            let name = node.name.trimmingCharacters(in: .whitespaces)
            let query = ElementQuery(role: node.role, name: name)
            guard let first = try? ElementLocator.locate(query, in: tree, windows: windows, screen: screen).first,
                  first.node.box == node.box, first.node.role == node.role else { continue }
            return .element(role: node.role, name: name)
        }
        return nil
    }

    /// A word or short line of text under the pointer whose best match on the screen covers the point.
    private func textTarget(_ point: Point, frame: Frame, windows: [WindowSummary]) -> String? {
        guard let lines = try? locator.recognize(frame) else { return nil }
        var candidates: [String] = []
        for line in lines {
            guard let word = line.words.first(where: { Self.inflate($0.box, by: 3).contains(point) }) else { continue }
            let lineText = line.words.map(\.text).joined(separator: " ")
            if line.words.count <= 4 && lineText.count <= 40 { candidates.append(lineText) }
            candidates.append(word.text)
        }
        for text in candidates where Self.isNameable(text) {
            guard let best = try? locator.locate(TextQuery(text), in: frame, windows: windows).first else { continue }
            if Self.inflate(best.box, by: 3).contains(point) { return text }
        }
        // The press landed beside the label (on the button's face): the label inside the widget's area,
        // if that same text is what a replay finds first.
        guard let widget = WidgetRegion.around(point, in: frame) else { return nil }
        let area = Self.inflate(widget, by: 2)
        var labels: [String] = []
        for line in lines {
            let inside = line.words.filter { area.contains($0.box) }
            guard !inside.isEmpty else { continue }
            let text = inside.map(\.text).joined(separator: " ")
            if inside.count <= 4 && text.count <= 40 { labels.append(text) }
        }
        guard labels.count == 1, let label = labels.first, Self.isNameable(label),
              let best = try? locator.locate(TextQuery(label), in: frame, windows: windows).first,
              area.contains(best.point) else { return nil }
        return label
    }

    /// Words and symbol labels (`+`, `=`, `<-`) make targets; what OCR reads off borders and rules
    /// (`|`, `—`, `_`, `.`) does not.
    static func isNameable(_ text: String) -> Bool {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= 40 else { return false }
        let noise = Set("|-_—–.,'`\"~:;!il")
        return !trimmed.allSatisfy { noise.contains($0) }
    }

    /// A template around the point, saved beside the task, when it matches only there.
    private mutating func imageTarget(_ point: Point, frame: Frame) -> String? {
        let half = (w: 24, h: 14)
        let box = Rect(x: point.x - half.w - frame.origin.x, y: point.y - half.h - frame.origin.y,
                       width: half.w * 2 + 1, height: half.h * 2 + 1)
        guard let template = frame.cropped(to: box) else { return nil }
        let matches = ImageLocator.locate(template: template, in: frame, threshold: ImageLocator.defaultThreshold, limit: 2)
        // Unique: exactly one place scores above the threshold, and its centre is the pressed point.
        guard matches.count == 1, let only = matches.first, only.box.center.chebyshevDistance(to: point) <= 1 else { return nil }
        let file = String(format: "%@-%02d.png", taskStem, imageFiles.count + 1)
        do {
            try PNGCodec.write(template, to: taskDirectory.appendingPathComponent(file).path)
        } catch {
            return nil
        }
        imageFiles.append(file)
        return file
    }

    static func inflate(_ r: Rect, by d: Int) -> Rect {
        Rect(x: r.x - d, y: r.y - d, width: r.width + 2 * d, height: r.height + 2 * d)
    }

    static func summary(_ w: WindowInfo) -> WindowSummary {
        WindowSummary(id: w.id, instance: w.instance, className: w.className, title: w.title, rect: w.rect)
    }
}
