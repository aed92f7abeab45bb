import DeskAgent
import DeskConfig
import DeskCore
import Testing
import DeskTestSupport

/// `dialog_of:` in a task file's window matchers: the window must be a dialog (WM_TRANSIENT_FOR) of a
/// window the inner matcher names — the editor's own "Save As", not another program's.
@Suite(.ownThread) struct DialogMatcherTests {
    static let windows = [
        WindowSummary(id: 1, instance: "mousepad", className: "Mousepad", title: "notes.txt - Mousepad", rect: Rect(x: 0, y: 0, width: 800, height: 600)),
        WindowSummary(id: 2, instance: "gedit", className: "Gedit", title: "other - gedit", rect: Rect(x: 0, y: 0, width: 800, height: 600)),
        WindowSummary(id: 3, instance: "mousepad", className: "Mousepad", title: "Save As", rect: Rect(x: 100, y: 100, width: 600, height: 400), transientFor: 1),
        WindowSummary(id: 4, instance: "gedit", className: "Gedit", title: "Save As", rect: Rect(x: 100, y: 100, width: 600, height: 400), transientFor: 2),
    ]

    func matcher(_ yaml: String) throws -> WindowMatcher {
        let task = try TaskLoader.parse(yaml: "name: t\nsteps:\n  - focus: \(yaml)\n", file: "t.yaml", directory: "/tmp")
        guard case .focus(let m)? = task.steps.first?.kind else { throw InputError("not a focus step") }
        return m
    }

    @Test func aDialogIsFoundByItsParent() throws {
        let editorsOwn = try matcher(#"{name: "^Save As$", dialog_of: {class: Mousepad}}"#)
        #expect(TargetResolver.firstWindow(matching: editorsOwn, in: Self.windows)?.id == 3)
        let anyOfGedit = try matcher("{dialog_of: {name: gedit}}")
        #expect(TargetResolver.firstWindow(matching: anyOfGedit, in: Self.windows)?.id == 4)
        // Without dialog_of the topmost "Save As" wins, whoever's it is.
        #expect(TargetResolver.firstWindow(matching: try matcher(#"{name: "^Save As$"}"#), in: Self.windows)?.id == 4)
        #expect(TargetResolver.firstWindow(matching: try matcher("{dialog_of: {class: Xterm}}"), in: Self.windows) == nil)
        #expect(editorsOwn.description.contains("a dialog of [class ~ /Mousepad/]"))
    }

    @Test func dialogOfNeedsAWindowToName() {
        #expect(throws: ConfigError.self) { try matcher("{dialog_of: {}}") }
        #expect(throws: ConfigError.self) { try matcher("{dialog_of: {class: A, dialog_of: {class: B}}}") }
    }
}
