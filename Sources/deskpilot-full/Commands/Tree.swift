import ArgumentParser
import DeskCLI
import DeskCore
import DeskRuntime
import DeskRuntimeOCR
import DeskX11
import Foundation

/// `deskpilot tree`: the accessibility tree of what is showing.
struct Tree: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the accessibility tree (AT-SPI) of what is showing on the screen.",
        discussion: """
            One line per element: role, name, position and size, notable states, text or value; applications \
            without a tree (Tk, Xaw, xterm, a Chromium without accessibility) get one line naming them. With \
            --json, one object per line: id, parent, role, name, states, actions, text/value, box {x, y, width, \
            height}, app (and window, the X window's hex id, for top-level windows); windows without a tree as \
            {"window", "class", "title", "accessible": false}. Needs the display's accessibility bus (exit 3 \
            without one).
            """)

    @OptionGroup var displayOptions: DisplayOptions

    @Option(name: .long, help: "Only this window: an id (0x3a00007), class:NAME or title:REGEX.")
    var window: String?

    @Flag(name: .long, help: "Print one JSON object per line.")
    var json = false

    @Flag(name: .long, help: "Every node, also those not showing (hidden, off screen, unmapped menus).")
    var all = false

    @Option(name: .long, help: "Levels below each window to print (default: all).")
    var depth: Int?

    func validate() throws {
        if let depth, depth < 0 { throw ValidationError("--depth must be 0 or more (got \(depth))") }
        if let window { _ = try WindowSelector.parse(window) }
    }

    func run() throws {
        let selector = try window.map(WindowSelector.parse)
        let context = try displayOptions.open()
        let display = context.display
        let bus = try A11yAccess.connect(context)
        let xWindows = display.windows()
        let summaries = xWindows.map(X11WindowLookup.summary)
        var tree = try bus.walk(all: all, maxDepth: depth)
        var chosen = summaries
        if let selector {
            let ids = Set(selector.matches(in: xWindows).map(\.id))
            guard !ids.isEmpty else { throw InputError("no window matches '\(selector)' on display \(display.name)") }
            chosen = summaries.filter { ids.contains($0.id) }
            tree = tree.filteringWindows { node in
                A11yTree.xWindow(for: node, in: summaries).map { ids.contains($0.id) } ?? false
            }
        }
        if let depth { tree = tree.limitingDepth(depth) }
        // Applications with no window left after filtering say nothing.
        let windowApps = Set(tree.windows.compactMap(\.parent))
        tree = tree.renumberedKeeping { $0.depth > 0 || windowApps.contains($0.id) }
        var xOf: [Int: WindowSummary] = [:]
        for w in tree.windows { xOf[w.id] = A11yTree.xWindow(for: w, in: summaries) }
        let printer = TreePrinter(tree: tree, xWindows: xOf)
        let withoutTree = tree.windowsWithoutTree(chosen)
        let note = "no accessibility tree; grounding falls back to OCR"
        if json {
            for line in try printer.jsonLines() { print(line) }
            for w in withoutTree {
                let shaped = NoTreeJSON(window: w.hexID, className: w.className.isEmpty ? w.instance : w.className,
                                        title: w.title, note: note)
                print(try JSONStyle.line(shaped))
            }
        } else {
            for line in printer.textLines() { print(line) }
            if selector == nil {
                for app in tree.emptyApps { print("\(app) (application): exposes no windows to the accessibility bus") }
            }
            for w in withoutTree {
                print("\(w.className.isEmpty ? w.instance : w.className) \"\(w.title)\" window \(w.hexID): \(note)")
            }
        }
        for problem in tree.problems { FileHandle.standardError.write(Data("deskpilot: tree: \(problem)\n".utf8)) }
    }
}
