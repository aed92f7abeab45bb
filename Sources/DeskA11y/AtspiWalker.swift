import CAtspi
import DeskCore
import Foundation

/// Walks the AT-SPI tree through libatspi. Runs on the ``A11yWorker`` thread only (libatspi is not
/// thread-safe); every call it makes is bounded by the timeout given to `atspi_set_timeout`.
final class AtspiWalker {
    struct Options {
        /// Every node, not only what is showing.
        var all = false
        /// Levels below a window (nil: no limit).
        var maxDepth: Int?
        /// Stop once this many nodes are read (Chromium's tree can be huge).
        var maxNodes = 20_000
        /// Stop once the walk has taken this long, seconds.
        var budget = 10.0
        /// Characters of text read from one widget.
        var textLimit = 2_000
        /// Longest wait for one D-Bus call, milliseconds.
        var callTimeoutMs: Int32 = 1_000
        /// Read applications through their cache in a few pipelined round trips (``AtspiBulkReader``) where
        /// they have one; off walks every node call by call (`DESKPILOT_A11Y_BULK=0`).
        var bulk = ProcessInfo.processInfo.environment["DESKPILOT_A11Y_BULK"] != "0"
    }

    private let options: Options
    private var nodes: [A11yNode] = []
    private var emptyApps: [String] = []
    private var problems: [String] = []
    private let start = MonotonicTime.now()
    private var stopped = false

    /// An application stopped answering (or went away) mid-walk: its subtree is abandoned.
    private struct AppFailed: Error { var message: String }

    init(options: Options) { self.options = options }

    /// Reads the whole desktop: applications, their windows, and what is inside.
    func walk() -> A11yTree {
        guard let desktop = atspi_get_desktop(0) else {
            return A11yTree(problems: ["the accessibility registry gave no desktop"])
        }
        defer { unref(desktop) }
        var error: UnsafeMutablePointer<GError>?
        let count = atspi_accessible_get_child_count(desktop, &error)
        if let message = take(&error) {
            return A11yTree(problems: ["the accessibility registry did not list its applications: \(message)"])
        }
        for i in 0..<max(0, count) {
            if stopped { break }
            guard let app = atspi_accessible_get_child_at_index(desktop, i, &error) else {
                _ = take(&error)
                continue
            }
            defer { unref(app) }
            let mark = nodes.count
            var appName = "?"
            do {
                appName = try string { atspi_accessible_get_name(app, $0) }
                try walkApp(app, name: appName)
            } catch let failure as AppFailed {
                // A half-read application misleads more than a missing one: drop what was read of it.
                nodes.removeSubrange(mark...)
                problems.append("\(appName): \(failure.message); its tree is left out")
            } catch {
                nodes.removeSubrange(mark...)
                problems.append("\(appName): \(error)")
            }
        }
        return A11yTree(nodes: nodes, emptyApps: emptyApps, problems: problems, seconds: MonotonicTime.now() - start)
    }

    private func walkApp(_ app: UnsafeMutablePointer<AtspiAccessible>, name: String) throws {
        let appID = nodes.count
        nodes.append(A11yNode(id: appID, parent: nil, depth: 0, role: "application", name: name,
                              box: Rect(x: 0, y: 0, width: 0, height: 0), app: name))
        let count = try int { atspi_accessible_get_child_count(app, $0) }
        if count == 0 { emptyApps.append(name) }
        if options.bulk, !options.all, count > 0, let connection = atspi_get_a11y_bus(),
           let busName = deskpilot_atspi_bus_name(app) {
            let reader = AtspiBulkReader(connection: connection, busName: String(cString: busName),
                                         timeoutMs: options.callTimeoutMs, options: options)
            if let read = reader.read(appName: name, appID: appID, firstID: nodes.count, windowCount: Int(count)) {
                nodes += read.prefix(max(0, options.maxNodes - nodes.count))
                return
            }
        }
        for i in 0..<max(0, count) {
            if overBudget() { return }
            guard let window = try pointer({ atspi_accessible_get_child_at_index(app, i, $0) }) else { continue }
            defer { unref(window) }
            try visit(window, depth: 1, parent: appID, window: nil, windowBox: nil, app: name)
        }
    }

    /// Reads one node and, when it is showing (or `all`), its children.
    private func visit(_ obj: UnsafeMutablePointer<AtspiAccessible>, depth: Int, parent: Int, window: Int?,
                       windowBox: Rect?, app: String) throws {
        if overBudget() { return }
        let states = try stateNames(obj)
        let showing = states.contains(A11yStates.showing) && states.contains(A11yStates.visible)
        if !options.all && !showing { return }
        let box = try extents(obj)
        // Unmapped GTK menu items report x = y = -2^31: nothing below them is on screen either.
        if !options.all && (box.x <= Int(Int32.min) + 1 || box.y <= Int(Int32.min) + 1) { return }
        var onScreen = !box.isEmpty && box.x > -100_000 && box.y > -100_000
        if let windowBox, onScreen { onScreen = box.intersection(windowBox) != nil }
        let role = try string { atspi_accessible_get_role_name(obj, $0) }
        var id = parent
        var childWindow = window
        var childWindowBox = windowBox
        if options.all || onScreen {
            id = nodes.count
            let name = try string { atspi_accessible_get_name(obj, $0) }
            let description = try string { atspi_accessible_get_description(obj, $0) }
            let actions = try actionNames(obj)
            let text = try textContent(obj, role: role, states: states)
            let value = try currentValue(obj)
            if depth == 1 {
                childWindow = id
                childWindowBox = box
            }
            nodes.append(A11yNode(id: id, parent: parent, depth: depth, role: role, name: name,
                                  description: description, states: states, actions: actions, text: text,
                                  value: value, box: box, app: app, window: childWindow))
        } else if depth == 1 {
            // A window without a usable box: nothing inside can be placed.
            return
        }
        if let maxDepth = options.maxDepth, depth >= maxDepth + 1 { return }
        let count = try int { atspi_accessible_get_child_count(obj, $0) }
        for i in 0..<max(0, min(count, Int32(options.maxNodes))) {
            if overBudget() { return }
            guard let child = try pointer({ atspi_accessible_get_child_at_index(obj, i, $0) }) else { continue }
            defer { unref(child) }
            // Children of a node left out hang from its nearest kept ancestor, one level below it.
            let childDepth = id == parent ? depth : depth + 1
            try visit(child, depth: childDepth, parent: id, window: childWindow, windowBox: childWindowBox, app: app)
        }
    }

    private func overBudget() -> Bool {
        if stopped { return true }
        if nodes.count >= options.maxNodes {
            problems.append("the walk stopped at \(options.maxNodes) nodes")
            stopped = true
        } else if MonotonicTime.now() - start > options.budget {
            problems.append("the walk stopped after \(String(format: "%g", options.budget))s with \(nodes.count) nodes")
            stopped = true
        }
        return stopped
    }

    // MARK: - Properties

    private func stateNames(_ obj: UnsafeMutablePointer<AtspiAccessible>) throws -> [String] {
        guard let set = atspi_accessible_get_state_set(obj) else { return [] }
        defer { unref(set) }
        guard let array = atspi_state_set_get_states(set) else { return [] }
        defer { g_array_free(array, 1) }
        var names: [String] = []
        for i in 0..<deskpilot_garray_len(array) {
            let raw = Int(deskpilot_garray_int_at(array, i))
            if raw > 0, raw < Self.stateNames.count { names.append(Self.stateNames[raw]) }
        }
        // libatspi reports a defunct (gone) application as a state set of just `defunct`.
        if names == ["defunct"] { throw AppFailed(message: "the application went away") }
        return names.sorted()
    }

    private func extents(_ obj: UnsafeMutablePointer<AtspiAccessible>) throws -> Rect {
        guard let component = atspi_accessible_get_component_iface(obj) else { return Rect(x: 0, y: 0, width: 0, height: 0) }
        defer { unref(component) }
        var error: UnsafeMutablePointer<GError>?
        let rect = atspi_component_get_extents(component, ATSPI_COORD_TYPE_SCREEN, &error)
        try check(&error)
        guard let rect else { return Rect(x: 0, y: 0, width: 0, height: 0) }
        defer { g_free(rect) }
        return Rect(x: Int(rect.pointee.x), y: Int(rect.pointee.y), width: Int(rect.pointee.width), height: Int(rect.pointee.height))
    }

    private func actionNames(_ obj: UnsafeMutablePointer<AtspiAccessible>) throws -> [String] {
        guard let action = atspi_accessible_get_action_iface(obj) else { return [] }
        defer { unref(action) }
        let count = try int { atspi_action_get_n_actions(action, $0) }
        var names: [String] = []
        for i in 0..<max(0, min(count, 16)) {
            let name = try string { atspi_action_get_action_name(action, i, $0) }
            if !name.isEmpty { names.append(name) }
        }
        return names
    }

    private func textContent(_ obj: UnsafeMutablePointer<AtspiAccessible>, role: String, states: [String]) throws -> String? {
        guard A11yRole.textRoles.contains(role) || states.contains(A11yStates.editable) else { return nil }
        guard let text = atspi_accessible_get_text_iface(obj) else { return nil }
        defer { unref(text) }
        let count = try int { atspi_text_get_character_count(text, $0) }
        guard count > 0 else { return "" }
        let end = min(count, Int32(options.textLimit))
        // U+FFFC stands for an embedded child (Chromium's documents): the child has its own node.
        return try string { atspi_text_get_text(text, 0, end, $0) }.replacingOccurrences(of: "\u{FFFC}", with: "")
    }

    private func currentValue(_ obj: UnsafeMutablePointer<AtspiAccessible>) throws -> Double? {
        guard let value = atspi_accessible_get_value_iface(obj) else { return nil }
        defer { unref(value) }
        var error: UnsafeMutablePointer<GError>?
        let v = atspi_value_get_current_value(value, &error)
        try check(&error)
        return v
    }

    // MARK: - Calls

    private func string(_ call: (UnsafeMutablePointer<UnsafeMutablePointer<GError>?>) -> UnsafeMutablePointer<gchar>?) throws -> String {
        var error: UnsafeMutablePointer<GError>?
        let result = call(&error)
        try check(&error)
        guard let result else { return "" }
        defer { g_free(result) }
        return String(cString: result)
    }

    private func int(_ call: (UnsafeMutablePointer<UnsafeMutablePointer<GError>?>) -> gint) throws -> Int32 {
        var error: UnsafeMutablePointer<GError>?
        let result = call(&error)
        try check(&error)
        return result
    }

    private func pointer(_ call: (UnsafeMutablePointer<UnsafeMutablePointer<GError>?>) -> UnsafeMutablePointer<AtspiAccessible>?) throws -> UnsafeMutablePointer<AtspiAccessible>? {
        var error: UnsafeMutablePointer<GError>?
        let result = call(&error)
        if let message = take(&error) {
            if let result { unref(result) }
            throw AppFailed(message: Self.explain(message))
        }
        return result
    }

    /// Throws when the call failed: a timeout or a vanished application abandons the application.
    private func check(_ error: inout UnsafeMutablePointer<GError>?) throws {
        if let message = take(&error) { throw AppFailed(message: Self.explain(message)) }
    }

    private func take(_ error: inout UnsafeMutablePointer<GError>?) -> String? {
        guard let e = error else { return nil }
        let message = e.pointee.message.map { String(cString: $0) } ?? "unknown error"
        g_error_free(e)
        error = nil
        return message
    }

    static func explain(_ message: String) -> String {
        if message.contains("reply") || message.contains("Timeout") || message.contains("timed out") {
            return "it did not answer in time (\(message.prefix(80)))"
        }
        return String(message.prefix(160))
    }

    /// Drops a reference to a GObject (accessible, interface, state set).
    private func unref<P>(_ p: UnsafeMutablePointer<P>) { deskpilot_gobject_unref(UnsafeMutableRawPointer(p)) }
    private func unref(_ p: OpaquePointer) { deskpilot_gobject_unref(UnsafeMutableRawPointer(p)) }

    /// AT-SPI state names by `AtspiStateType` value, in the header's order.
    static let stateNames: [String] = [
        "invalid", "active", "armed", "busy", "checked", "collapsed", "defunct", "editable", "enabled",
        "expandable", "expanded", "focusable", "focused", "has tooltip", "horizontal", "iconified", "modal",
        "multi line", "multiselectable", "opaque", "pressed", "resizable", "selectable", "selected", "sensitive",
        "showing", "single line", "stale", "transient", "vertical", "visible", "manages descendants",
        "indeterminate", "required", "truncated", "animated", "invalid entry", "supports autocompletion",
        "selectable text", "is default", "visited", "checkable", "has popup", "read only",
    ]
}

/// Seconds on a monotonic clock.
enum MonotonicTime {
    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
