import CAtspi
import DeskCore
import Foundation
import Synchronization

/// Reads one application's showing tree in four pipelined D-Bus round trips instead of about ten calls per
/// node: the objects with their names, roles, descriptions, states and children from the application's
/// cache (`org.a11y.atspi.Cache.GetItems`), then every candidate's extents in one batch, then the text,
/// value and action counts of the nodes kept in another, and their action names in a last one. It yields the nodes the node-by-node walk of
/// ``AtspiWalker`` yields, in the same order; an application without that cache, or whose cache does not
/// account for every child of a showing node, gets nil and is walked node by node.
///
/// Runs on the ``A11yWorker`` thread, on libatspi's own connection to the accessibility bus; every call is
/// bounded by `timeoutMs`.
struct AtspiBulkReader {
    let connection: OpaquePointer
    let busName: String
    let timeoutMs: Int32
    let options: AtspiWalker.Options

    static let rootPath = "/org/a11y/atspi/accessible/root"

    /// One object as the cache describes it.
    struct Item {
        var path: String
        var parent: String
        /// Position among the parent's children (-1 when the cache gave a children list instead).
        var index: Int
        var childCount: Int
        var children: [String]?
        var interfaces: Set<String>
        var name: String
        var role: UInt32
        var description: String
        var states: [String]
    }

    /// The application's nodes (ids from `firstID`, the application node being `appID`), or nil to fall back.
    func read(appName: String, appID: Int, firstID: Int, windowCount: Int) -> [A11yNode]? {
        guard let items = cacheItems(), !items.isEmpty else { return nil }
        var byPath: [String: Item] = [:]
        for item in items { byPath[item.path] = item }
        var children: [String: [String]] = [:]
        for item in items where item.index >= 0 { children[item.parent, default: []].append(item.path) }
        for key in children.keys {
            children[key]?.sort { (byPath[$0]?.index ?? 0) < (byPath[$1]?.index ?? 0) }
        }
        for item in items { if let list = item.children { children[item.path] = list } }
        // The legacy cache (a children list per item) lists the root too; the current one may not.
        let windows = children[Self.rootPath] ?? []
        guard windows.count == windowCount else { return nil }

        func isShowing(_ item: Item) -> Bool {
            item.states.contains(A11yStates.showing) && item.states.contains(A11yStates.visible)
        }
        // Pass 1: what the walk could keep — showing nodes under showing parents — and their extents.
        var candidates: [String] = []
        var complete = true
        func collect(_ path: String, depth: Int) {
            guard let item = byPath[path], isShowing(item) else { return }
            candidates.append(path)
            if let maxDepth = options.maxDepth, depth >= maxDepth + 1 { return }
            let kids = children[path] ?? []
            if kids.count != item.childCount { complete = false }
            for kid in kids.prefix(options.maxNodes) { collect(kid, depth: depth + 1) }
        }
        for window in windows { collect(window, depth: 1) }
        guard complete, candidates.count <= options.maxNodes else { return nil }
        let withComponent = candidates.filter { byPath[$0]?.interfaces.contains("org.a11y.atspi.Component") == true }
        let boxes = batch(withComponent) { path in
            send(path, "org.a11y.atspi.Component", "GetExtents") { _ = deskpilot_dbus_append_uint32(&$0, UInt32(ATSPI_COORD_TYPE_SCREEN.rawValue)) }
        } parse: { Self.parseExtents($0) }

        // Pass 2: the walk's own rules (off-screen boxes, boxes outside their window) on those extents.
        var nodes: [A11yNode] = []
        var kept: [(index: Int, item: Item)] = []
        func visit(_ path: String, depth: Int, parent: Int, window: Int?, windowBox: Rect?) {
            guard let item = byPath[path], isShowing(item) else { return }
            let box = boxes[path] ?? Rect(x: 0, y: 0, width: 0, height: 0)
            if box.x <= Int(Int32.min) + 1 || box.y <= Int(Int32.min) + 1 { return }
            var onScreen = !box.isEmpty && box.x > -100_000 && box.y > -100_000
            if let windowBox, onScreen { onScreen = box.intersection(windowBox) != nil }
            var id = parent
            var childWindow = window
            var childWindowBox = windowBox
            if onScreen {
                id = firstID + nodes.count
                if depth == 1 {
                    childWindow = id
                    childWindowBox = box
                }
                nodes.append(A11yNode(id: id, parent: parent, depth: depth, role: roleName(item.role), name: item.name,
                                      description: item.description, states: item.states, box: box, app: appName,
                                      window: childWindow))
                kept.append((nodes.count - 1, item))
            } else if depth == 1 {
                return
            }
            if let maxDepth = options.maxDepth, depth >= maxDepth + 1 { return }
            for kid in (children[path] ?? []).prefix(options.maxNodes) {
                visit(kid, depth: id == parent ? depth : depth + 1, parent: id, window: childWindow, windowBox: childWindowBox)
            }
        }
        for window in windows { visit(window, depth: 1, parent: appID, window: nil, windowBox: nil) }

        // Pass 3: actions, text and values of the kept nodes.
        // Action names as `atspi_action_get_action_name` gives them (GetActions would give localized ones):
        // the counts in one batch, then every name in another.
        // An object's action names do not change while it lives (a button clicks, a toggle toggles): they are
        // read once per object and role, so a walk of an unchanged application asks only for what can change.
        let allActionPaths = kept.filter { $0.item.interfaces.contains("org.a11y.atspi.Action") }.map(\.item.path)
        var actions: [String: [String]] = [:]
        var actionPaths: [String] = []
        for path in allActionPaths {
            if let known = ActionNameCache.names(bus: busName, path: path, role: byPath[path]?.role ?? 0) {
                actions[path] = known
            } else {
                actionPaths.append(path)
            }
        }
        let actionCounts = batch(actionPaths) { path in
            send(path, "org.freedesktop.DBus.Properties", "Get") {
                _ = deskpilot_dbus_append_string(&$0, "org.a11y.atspi.Action")
                _ = deskpilot_dbus_append_string(&$0, "NActions")
            }
        } parse: { Self.parseVariantInt($0) }
        let namedActions = actionPaths.flatMap { path in (0..<min(16, max(0, actionCounts[path] ?? 0))).map { "\(path)#\($0)" } }
        let actionNames = batch(namedActions) { key in
            let hash = key.lastIndex(of: "#")!
            let index = Int32(key[key.index(after: hash)...]) ?? 0
            return send(String(key[..<hash]), "org.a11y.atspi.Action", "GetName") { _ = deskpilot_dbus_append_int32(&$0, index) }
        } parse: { Self.parseString($0) }
        for path in actionPaths {
            guard let count = actionCounts[path] else { continue }
            let names = (0..<min(16, max(0, count))).compactMap { actionNames["\(path)#\($0)"] }
            actions[path] = names.filter { !$0.isEmpty }
            // Only a complete answer is kept (every name came back).
            if names.count == min(16, max(0, count)) {
                ActionNameCache.store(actions[path] ?? [], bus: busName, path: path, role: byPath[path]?.role ?? 0)
            }
        }
        let textPaths = kept.filter { k in
            k.item.interfaces.contains("org.a11y.atspi.Text")
                && (A11yRole.textRoles.contains(nodes[k.index].role) || k.item.states.contains(A11yStates.editable))
        }.map(\.item.path)
        let limit = Int32(options.textLimit)
        let texts = batch(textPaths) { path in
            send(path, "org.a11y.atspi.Text", "GetText") {
                _ = deskpilot_dbus_append_int32(&$0, 0)
                _ = deskpilot_dbus_append_int32(&$0, limit)
            }
        } parse: { Self.parseString($0) }
        let valuePaths = kept.filter { $0.item.interfaces.contains("org.a11y.atspi.Value") }.map(\.item.path)
        let values = batch(valuePaths) { path in
            send(path, "org.freedesktop.DBus.Properties", "Get") {
                _ = deskpilot_dbus_append_string(&$0, "org.a11y.atspi.Value")
                _ = deskpilot_dbus_append_string(&$0, "CurrentValue")
            }
        } parse: { Self.parseVariantDouble($0) }
        let textWanted = Set(textPaths)
        for (index, item) in kept {
            nodes[index].actions = actions[item.path] ?? []
            if textWanted.contains(item.path) {
                // U+FFFC stands for an embedded child (Chromium's documents): the child has its own node.
                nodes[index].text = (texts[item.path] ?? "").replacingOccurrences(of: "\u{FFFC}", with: "")
            }
            nodes[index].value = values[item.path]
        }
        return nodes
    }

    // MARK: - D-Bus

    /// Sends one call per path, all before waiting for any, then collects the replies.
    private func batch<T>(_ paths: [String], send: (String) -> OpaquePointer?, parse: (OpaquePointer) -> T?) -> [String: T] {
        var pending: [(String, OpaquePointer)] = []
        for path in paths { if let p = send(path) { pending.append((path, p)) } }
        dbus_connection_flush(connection)
        var out: [String: T] = [:]
        for (path, call) in pending {
            if let reply = wait(call) {
                out[path] = parse(reply)
                dbus_message_unref(reply)
            }
        }
        return out
    }

    /// A method call on `path` of the application, sent without waiting; its pending reply.
    private func send(_ path: String, _ interface: String, _ method: String,
                      arguments: (inout DBusMessageIter) -> Void) -> OpaquePointer? {
        guard let message = dbus_message_new_method_call(busName, path, interface, method) else { return nil }
        defer { dbus_message_unref(message) }
        var iter = DBusMessageIter()
        dbus_message_iter_init_append(message, &iter)
        arguments(&iter)
        var pending: OpaquePointer?
        guard dbus_connection_send_with_reply(connection, message, &pending, timeoutMs) != 0, let pending else { return nil }
        return pending
    }


    /// The reply to a pending call (nil for an error or a timeout); the caller unrefs it.
    private func wait(_ pending: OpaquePointer) -> OpaquePointer? {
        defer { dbus_pending_call_unref(pending) }
        dbus_pending_call_block(pending)
        guard let reply = dbus_pending_call_steal_reply(pending) else { return nil }
        if dbus_message_get_type(reply) == deskpilot_dbus_message_type_error {
            dbus_message_unref(reply)
            return nil
        }
        return reply
    }

    private func cacheItems() -> [Item]? {
        guard let pending = send("/org/a11y/atspi/cache", "org.a11y.atspi.Cache", "GetItems", arguments: { _ in }) else { return nil }
        dbus_connection_flush(connection)
        guard let reply = wait(pending) else { return nil }
        defer { dbus_message_unref(reply) }
        var top = DBusMessageIter()
        guard dbus_message_iter_init(reply, &top) != 0, dbus_message_iter_get_arg_type(&top) == deskpilot_dbus_type_array else { return nil }
        var array = DBusMessageIter()
        dbus_message_iter_recurse(&top, &array)
        var items: [Item] = []
        while dbus_message_iter_get_arg_type(&array) == deskpilot_dbus_type_struct {
            var fields = DBusMessageIter()
            dbus_message_iter_recurse(&array, &fields)
            guard let item = Self.parseItem(&fields) else { return nil }
            if item.states != ["defunct"] { items.append(item) }
            dbus_message_iter_next(&array)
        }
        return items
    }

    // MARK: - Parsing

    /// `((so)(so)(so)iiassusau)`, or the older `((so)(so)(so)a(so)assusau)` with a children list.
    static func parseItem(_ it: inout DBusMessageIter) -> Item? {
        guard let object = reference(&it), dbus_message_iter_next(&it) != 0,
              reference(&it) != nil, dbus_message_iter_next(&it) != 0,
              let parent = reference(&it), dbus_message_iter_next(&it) != 0 else { return nil }
        var index = -1, childCount = 0
        var children: [String]?
        if dbus_message_iter_get_arg_type(&it) == deskpilot_dbus_type_int32 {
            index = Int(deskpilot_dbus_get_int32(&it))
            guard dbus_message_iter_next(&it) != 0, dbus_message_iter_get_arg_type(&it) == deskpilot_dbus_type_int32 else { return nil }
            childCount = Int(deskpilot_dbus_get_int32(&it))
        } else if dbus_message_iter_get_arg_type(&it) == deskpilot_dbus_type_array {
            var list = DBusMessageIter()
            dbus_message_iter_recurse(&it, &list)
            var paths: [String] = []
            while dbus_message_iter_get_arg_type(&list) == deskpilot_dbus_type_struct {
                if let ref = reference(&list) { paths.append(ref.path) }
                dbus_message_iter_next(&list)
            }
            children = paths
            childCount = paths.count
        } else {
            return nil
        }
        guard dbus_message_iter_next(&it) != 0, dbus_message_iter_get_arg_type(&it) == deskpilot_dbus_type_array else { return nil }
        var interfaces = Set<String>()
        var list = DBusMessageIter()
        dbus_message_iter_recurse(&it, &list)
        while dbus_message_iter_get_arg_type(&list) == deskpilot_dbus_type_string {
            if let s = deskpilot_dbus_get_string(&list) { interfaces.insert(String(cString: s)) }
            dbus_message_iter_next(&list)
        }
        guard dbus_message_iter_next(&it) != 0, let name = string(&it), dbus_message_iter_next(&it) != 0,
              dbus_message_iter_get_arg_type(&it) == deskpilot_dbus_type_uint32 else { return nil }
        let role = deskpilot_dbus_get_uint32(&it)
        guard dbus_message_iter_next(&it) != 0, let description = string(&it), dbus_message_iter_next(&it) != 0,
              dbus_message_iter_get_arg_type(&it) == deskpilot_dbus_type_array else { return nil }
        var words: [UInt32] = []
        var bits = DBusMessageIter()
        dbus_message_iter_recurse(&it, &bits)
        while dbus_message_iter_get_arg_type(&bits) == deskpilot_dbus_type_uint32 {
            words.append(deskpilot_dbus_get_uint32(&bits))
            dbus_message_iter_next(&bits)
        }
        var states: [String] = []
        for (w, word) in words.enumerated() {
            for bit in 0..<32 where word & (1 << UInt32(bit)) != 0 {
                let raw = w * 32 + bit
                if raw > 0, raw < AtspiWalker.stateNames.count { states.append(AtspiWalker.stateNames[raw]) }
            }
        }
        return Item(path: object.path, parent: parent.path, index: index, childCount: childCount, children: children,
                    interfaces: interfaces, name: name, role: role, description: description, states: states.sorted())
    }

    /// `(so)`: a bus name and an object path.
    static func reference(_ it: inout DBusMessageIter) -> (bus: String, path: String)? {
        guard dbus_message_iter_get_arg_type(&it) == deskpilot_dbus_type_struct else { return nil }
        var pair = DBusMessageIter()
        dbus_message_iter_recurse(&it, &pair)
        guard let bus = string(&pair), dbus_message_iter_next(&pair) != 0,
              dbus_message_iter_get_arg_type(&pair) == deskpilot_dbus_type_object_path,
              let path = deskpilot_dbus_get_string(&pair) else { return nil }
        return (bus, String(cString: path))
    }

    static func string(_ it: inout DBusMessageIter) -> String? {
        guard dbus_message_iter_get_arg_type(&it) == deskpilot_dbus_type_string, let s = deskpilot_dbus_get_string(&it) else { return nil }
        return String(cString: s)
    }

    static func parseExtents(_ reply: OpaquePointer) -> Rect? {
        var it = DBusMessageIter()
        guard dbus_message_iter_init(reply, &it) != 0, dbus_message_iter_get_arg_type(&it) == deskpilot_dbus_type_struct else { return nil }
        var fields = DBusMessageIter()
        dbus_message_iter_recurse(&it, &fields)
        var v: [Int] = []
        while dbus_message_iter_get_arg_type(&fields) == deskpilot_dbus_type_int32 {
            v.append(Int(deskpilot_dbus_get_int32(&fields)))
            dbus_message_iter_next(&fields)
        }
        return v.count == 4 ? Rect(x: v[0], y: v[1], width: v[2], height: v[3]) : nil
    }

    static func parseVariantInt(_ reply: OpaquePointer) -> Int? {
        var it = DBusMessageIter()
        guard dbus_message_iter_init(reply, &it) != 0, dbus_message_iter_get_arg_type(&it) == deskpilot_dbus_type_variant else { return nil }
        var inner = DBusMessageIter()
        dbus_message_iter_recurse(&it, &inner)
        guard dbus_message_iter_get_arg_type(&inner) == deskpilot_dbus_type_int32 else { return nil }
        return Int(deskpilot_dbus_get_int32(&inner))
    }

    static func parseString(_ reply: OpaquePointer) -> String? {
        var it = DBusMessageIter()
        guard dbus_message_iter_init(reply, &it) != 0 else { return nil }
        return string(&it)
    }

    static func parseVariantDouble(_ reply: OpaquePointer) -> Double? {
        var it = DBusMessageIter()
        guard dbus_message_iter_init(reply, &it) != 0, dbus_message_iter_get_arg_type(&it) == deskpilot_dbus_type_variant else { return nil }
        var inner = DBusMessageIter()
        dbus_message_iter_recurse(&it, &inner)
        guard dbus_message_iter_get_arg_type(&inner) == deskpilot_dbus_type_double else { return nil }
        return deskpilot_dbus_get_double(&inner)
    }

    /// AT-SPI's name for a role (from libatspi's own table: no call).
    private func roleName(_ role: UInt32) -> String {
        RoleNames.name(role)
    }
}

/// Action names by application, object and role, kept for the process (bounded).
enum ActionNameCache {
    private static let entries = Mutex<[String: [String]]>([:])
    static let limit = 50_000

    static func names(bus: String, path: String, role: UInt32) -> [String]? {
        entries.withLock { $0["\(bus)\u{0}\(path)\u{0}\(role)"] }
    }

    static func store(_ names: [String], bus: String, path: String, role: UInt32) {
        entries.withLock { e in
            if e.count >= limit { e.removeAll(keepingCapacity: true) }
            e["\(bus)\u{0}\(path)\u{0}\(role)"] = names
        }
    }
}

/// libatspi's role names, looked up once per role.
enum RoleNames {
    private static let cache = Mutex<[UInt32: String]>([:])

    static func name(_ role: UInt32) -> String {
        if let known = cache.withLock({ $0[role] }) { return known }
        guard let raw = atspi_role_get_name(AtspiRole(rawValue: role)) else { return "unknown" }
        defer { g_free(raw) }
        let name = String(cString: raw)
        cache.withLock { $0[role] = name }
        return name
    }
}
