import DeskCore
import Foundation
import Synchronization

/// Walks a display's accessibility tree again and again while a demonstration is recorded, keeping each
/// walk with the time it began and ended: the recorder names a press by the element the tree showed just
/// before it, and knows which kind of field had the focus around each key (a password field's text is a
/// secret).
///
/// A walk equal to the one before it only moves that walk's end time, so a still screen costs no memory;
/// past ``treeLimit`` distinct trees the oldest keep only their focus summary.
public final class TreeSnapshots: Sendable {
    /// One walk of the tree.
    public struct Walk: Sendable {
        /// Monotonic seconds (the recorder's clock, `systemUptime`) when the walk began.
        public var started: Double
        /// When the last walk that saw this same tree ended.
        public var finished: Double
        /// The tree, nil once dropped for memory (its summary stays).
        public var tree: A11yTree?
        /// A password field had the keyboard focus.
        public var passwordFocused: Bool
    }

    /// Distinct trees kept in full.
    public static let treeLimit = 2_000

    private let source: any A11yTreeSource
    private let interval: Double
    private let state = Mutex(State())
    private let finished = DispatchSemaphore(value: 0)

    private struct State {
        var walks: [Walk] = []
        var stopping = false
        var started = false
        var problem: String?
    }

    /// - Parameters:
    ///   - source: the display's tree (an `A11yBus`).
    ///   - interval: pause between walks, seconds.
    public init(source: any A11yTreeSource, interval: Double = 0.05) {
        self.source = source
        self.interval = interval
    }

    /// Monotonic seconds on the clock the X recorder stamps events with.
    public static func now() -> Double { ProcessInfo.processInfo.systemUptime }

    /// Starts walking on a thread of its own (libatspi calls block).
    public func start() {
        guard state.withLock({ s in
            if s.started { return false }
            s.started = true
            return true
        }) else { return }
        let thread = Thread { [self] in loop() }
        thread.name = "deskpilot record tree"
        thread.start()
    }

    /// Stops walking (waits for the walk in progress) and returns every walk, oldest first.
    public func stop() -> [Walk] {
        let wasStarted = state.withLock { s -> Bool in
            s.stopping = true
            return s.started
        }
        if wasStarted {
            finished.wait()
            finished.signal()
        }
        return state.withLock { $0.walks }
    }

    /// Why walking failed, the last time it did (no bus, a walk timed out).
    public var problem: String? { state.withLock { $0.problem } }

    private func loop() {
        defer { finished.signal() }
        while !state.withLock({ $0.stopping }) {
            let began = Self.now()
            do {
                let tree = try source.walk(all: false)
                let walk = Walk(started: began, finished: Self.now(), tree: tree,
                                passwordFocused: Self.passwordFocused(tree))
                state.withLock { s in
                    s.problem = nil
                    Self.append(walk, to: &s.walks)
                }
            } catch {
                state.withLock { $0.problem = "\(error)" }
            }
            Thread.sleep(forTimeInterval: interval)
        }
    }

    static func append(_ walk: Walk, to walks: inout [Walk]) {
        if let last = walks.last, last.tree == walk.tree, last.passwordFocused == walk.passwordFocused {
            walks[walks.count - 1].finished = walk.finished
            return
        }
        walks.append(walk)
        // Only a recording longer than the limit pays for the count.
        guard walks.count > treeLimit else { return }
        if walks.lazy.filter({ $0.tree != nil }).count > treeLimit, let oldest = walks.firstIndex(where: { $0.tree != nil }) {
            walks[oldest].tree = nil
        }
    }

    /// A node with the keyboard focus is a password field.
    public static func passwordFocused(_ tree: A11yTree) -> Bool {
        tree.nodes.contains { $0.has(A11yStates.focused) && A11yRole.normalized($0.role) == A11yRole.passwordText }
    }
}

extension Array where Element == TreeSnapshots.Walk {
    /// The newest tree whose walk ended before `time` (it cannot show the reaction to an event at `time`),
    /// else the newest that began before it.
    public func tree(before time: Double) -> A11yTree? {
        last { $0.finished < time && $0.tree != nil }?.tree ?? last { $0.started < time && $0.tree != nil }?.tree
    }

    /// Whether a password field may have had the focus when a key went down at `time`: the walk in force
    /// then, or the first one after it, saw one focused. Judged conservatively both ways, since a walk can
    /// lag a click that moved the focus.
    public func passwordFocused(around time: Double) -> Bool {
        let before = last { $0.started <= time }
        let after = first { $0.started > time }
        return (before?.passwordFocused ?? false) || (after?.passwordFocused ?? false)
    }
}
