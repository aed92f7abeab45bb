import DeskCore
@testable import DeskRuntime
import Foundation
import Synchronization
import Testing
import DeskTestSupport

/// The recorder's tree walks: which tree names a press, and when a key counts as typed into a password field.
@Suite("Record: accessibility tree walks", .ownThread)
struct TreeSnapshotsTests {
    static func tree(focusedRole: String) -> A11yTree {
        A11yTree(nodes: [
            A11yNode(id: 0, parent: nil, depth: 0, role: "application", name: "app", box: Rect(x: 0, y: 0, width: 0, height: 0), app: "app"),
            A11yNode(id: 1, parent: 0, depth: 1, role: "frame", name: "Main", box: Rect(x: 0, y: 0, width: 400, height: 300), app: "app", window: 1),
            A11yNode(id: 2, parent: 1, depth: 2, role: focusedRole, name: "", states: ["focused", "showing", "visible"],
                     box: Rect(x: 10, y: 10, width: 200, height: 20), app: "app", window: 1),
        ])
    }

    static func walk(_ started: Double, _ finished: Double, password: Bool) -> TreeSnapshots.Walk {
        let tree = tree(focusedRole: password ? "password text" : "text")
        return TreeSnapshots.Walk(started: started, finished: finished, tree: tree,
                                  passwordFocused: TreeSnapshots.passwordFocused(tree))
    }

    @Test func aPressIsNamedFromATreeWalkedBeforeIt() {
        let walks = [Self.walk(1.0, 1.1, password: false), Self.walk(1.2, 1.3, password: true)]
        #expect(walks.tree(before: 1.25) == walks[0].tree, "the walk still running at the press may show its effect")
        #expect(walks.tree(before: 2.0) == walks[1].tree)
        #expect(walks.tree(before: 0.5) == nil)
    }

    @Test func keysAroundAFocusedPasswordFieldAreSecret() {
        let walks = [Self.walk(1.0, 1.1, password: false), Self.walk(2.0, 2.1, password: true),
                     Self.walk(3.0, 3.1, password: false)]
        #expect(!walks.passwordFocused(around: 0.5))
        #expect(walks.passwordFocused(around: 1.5), "the next walk saw the field focused: the walk lagged the click")
        #expect(walks.passwordFocused(around: 2.5))
        #expect(!walks.passwordFocused(around: 3.5))
    }

    @Test func aStillTreeIsKeptOnce() {
        var walks: [TreeSnapshots.Walk] = []
        TreeSnapshots.append(Self.walk(1.0, 1.1, password: false), to: &walks)
        TreeSnapshots.append(Self.walk(1.2, 1.3, password: false), to: &walks)
        TreeSnapshots.append(Self.walk(1.4, 1.5, password: true), to: &walks)
        #expect(walks.count == 2)
        #expect(walks[0].started == 1.0 && walks[0].finished == 1.3)
    }

    /// A tree source that counts its walks.
    final class CountingSource: A11yTreeSource {
        let walks = Mutex(0)
        func walk(all: Bool) throws -> A11yTree {
            walks.withLock { $0 += 1 }
            return TreeSnapshotsTests.tree(focusedRole: "text")
        }
    }

    @Test func walkingStopsAndReturnsWhatItSaw() {
        let source = CountingSource()
        let snapshots = TreeSnapshots(source: source, interval: 0.005)
        snapshots.start()
        let deadline = Date().addingTimeInterval(5)
        while source.walks.withLock({ $0 }) < 3, Date() < deadline { usleep(2_000) }
        let walks = snapshots.stop()
        #expect(source.walks.withLock { $0 } >= 3)
        #expect(walks.count == 1, "the same tree each time is one walk")
        #expect(walks.first.map { $0.finished > $0.started } == true)
    }
}
