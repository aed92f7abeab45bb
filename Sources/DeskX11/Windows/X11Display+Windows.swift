internal import CX11
import DeskCore

extension X11Display {
    /// Top-level windows on screen, bottom to top in stacking order.
    ///
    /// With an EWMH window manager this is `_NET_CLIENT_LIST_STACKING` — the clients inside their frames —
    /// without the ones not (yet, or no longer) viewable: a WM lists a window before it has mapped it, and keeps
    /// minimized ones; a wait for a window must only end once it can be clicked. On a bare server (Xvfb with no
    /// WM) it is the viewable children of the root, which are the applications' own windows.
    public func windows() -> [WindowInfo] {
        let focus = focusedWindow()
        let ids: [UInt]
        if let stacking = propertyLongs(root, "_NET_CLIENT_LIST_STACKING") ?? propertyLongs(root, "_NET_CLIENT_LIST"),
           hasWindowManager {
            ids = stacking.filter(isViewable)
        } else {
            ids = viewableRootChildren().compactMap { clientWindow(in: $0) }
        }
        return ids.compactMap { id in
            guard let rect = try? windowGeometry(id) else { return nil }
            let (instance, className) = windowClass(id)
            let title = propertyString(id, "_NET_WM_NAME") ?? propertyString(id, "WM_NAME") ?? ""
            let pid = propertyLongs(id, "_NET_WM_PID")?.first.map { Int($0) }
            return WindowInfo(id: id, instance: instance, className: className, title: title, rect: rect,
                              focused: focus == id, pid: pid, frame: frameRect(id, client: rect),
                              transientFor: transientParent(id))
        }
    }

    /// Whether the window and all its ancestors are mapped.
    func isViewable(_ id: UInt) -> Bool {
        withDisplay { d in
            var attributes = XWindowAttributes()
            return XGetWindowAttributes(d, id, &attributes) != 0 && attributes.map_state == IsViewable
        }
    }

    /// Whether an EWMH window manager claims the screen (`_NET_SUPPORTING_WM_CHECK`).
    public var hasWindowManager: Bool {
        guard let check = propertyLongs(root, "_NET_SUPPORTING_WM_CHECK")?.first, check != 0 else { return false }
        return (try? windowGeometry(check)) != nil
    }

    /// The window manager's own name (`_NET_WM_NAME` of the `_NET_SUPPORTING_WM_CHECK` window, `Openbox`); nil
    /// without an EWMH window manager.
    public var windowManagerName: String? {
        guard hasWindowManager, let check = propertyLongs(root, "_NET_SUPPORTING_WM_CHECK")?.first else { return nil }
        return propertyString(check, "_NET_WM_NAME") ?? propertyString(check, "WM_NAME")
    }

    /// The top-level window that has the keyboard focus; under PointerRoot focus (a bare Xvfb) the one under
    /// the pointer, since that is where keys go.
    public func focusedWindow() -> UInt? {
        let (focus, revert): (UInt, Int32) = withDisplay { d in
            var w: UInt = 0
            var r: Int32 = 0
            XGetInputFocus(d, &w, &r)
            return (w, r)
        }
        _ = revert
        if focus == 0 { return nil }  // None
        if focus == 1 {  // PointerRoot
            return topLevelWindow(at: pointerPosition())
        }
        return topLevelAncestor(of: focus)
    }

    /// Where key events go now, cheaply (one or two round trips, for checks between typed characters):
    /// the focus window, or under PointerRoot focus the root's child under the pointer.
    public func keyboardTarget() -> UInt {
        let focus: UInt = withDisplay { d in
            var w: UInt = 0
            var r: Int32 = 0
            XGetInputFocus(d, &w, &r)
            return w
        }
        guard focus == 1 else { return focus }
        return withDisplay { d in
            var rootReturn: UInt = 0, child: UInt = 0
            var rx: Int32 = 0, ry: Int32 = 0, wx: Int32 = 0, wy: Int32 = 0
            var mask: UInt32 = 0
            XQueryPointer(d, root, &rootReturn, &child, &rx, &ry, &wx, &wy, &mask)
            return child
        }
    }

    /// The pointer's position in root-window pixels.
    public func pointerPosition() -> Point {
        withDisplay { d in
            var rootReturn: UInt = 0, child: UInt = 0
            var rx: Int32 = 0, ry: Int32 = 0, wx: Int32 = 0, wy: Int32 = 0
            var mask: UInt32 = 0
            XQueryPointer(d, root, &rootReturn, &child, &rx, &ry, &wx, &wy, &mask)
            return Point(x: Int(rx), y: Int(ry))
        }
    }

    /// The topmost top-level window containing `point`, if any.
    public func topLevelWindow(at point: Point) -> UInt? {
        for id in windowsTopFirst() {
            if let rect = try? windowGeometry(id), rect.contains(point) { return id }
        }
        return nil
    }

    /// The window's area in root-window pixels.
    public func windowGeometry(_ id: UInt) throws -> Rect {
        try checked("reading the geometry of window 0x\(String(id, radix: 16))") { d in
            var attributes = XWindowAttributes()
            guard XGetWindowAttributes(d, id, &attributes) != 0 else {
                return Rect(x: 0, y: 0, width: 0, height: 0)
            }
            var x: Int32 = 0, y: Int32 = 0
            var child: UInt = 0
            XTranslateCoordinates(d, id, root, 0, 0, &x, &y, &child)
            return Rect(x: Int(x), y: Int(y), width: Int(attributes.width), height: Int(attributes.height))
        }
    }

    /// The client area grown by the WM's `_NET_FRAME_EXTENTS` (left, right, top, bottom); nil without them.
    public func frameRect(_ id: UInt, client: Rect) -> Rect? {
        guard let e = propertyLongs(id, "_NET_FRAME_EXTENTS"), e.count == 4 else { return nil }
        let left = Int(e[0]), right = Int(e[1]), top = Int(e[2]), bottom = Int(e[3])
        return Rect(x: client.x - left, y: client.y - top, width: client.width + left + right,
                    height: client.height + top + bottom)
    }

    /// `WM_TRANSIENT_FOR`: the window a dialog belongs to.
    public func transientParent(_ id: UInt) -> UInt? {
        guard let parent = propertyLongs(id, "WM_TRANSIENT_FOR")?.first, parent != 0, parent != root else { return nil }
        return parent
    }

    /// WM_CLASS as (instance, class).
    public func windowClass(_ id: UInt) -> (String, String) {
        guard let p = property(id, "WM_CLASS"), p.format == 8 else { return ("", "") }
        let parts = p.bytes.split(separator: 0, omittingEmptySubsequences: false).map {
            String(decoding: $0, as: UTF8.self)
        }
        return (parts.first ?? "", parts.count > 1 ? parts[1] : "")
    }

    func windowsTopFirst() -> [UInt] {
        if hasWindowManager, let stacking = propertyLongs(root, "_NET_CLIENT_LIST_STACKING") {
            return stacking.reversed().filter(isViewable)
        }
        return viewableRootChildren().reversed().compactMap { clientWindow(in: $0) }
    }

    private func viewableRootChildren() -> [UInt] {
        withDisplay { d in
            var rootReturn: UInt = 0, parent: UInt = 0
            var children: UnsafeMutablePointer<UInt>?
            var count: UInt32 = 0
            guard XQueryTree(d, root, &rootReturn, &parent, &children, &count) != 0, let children else { return [] }
            defer { XFree(children) }
            return (0..<Int(count)).compactMap { (i: Int) -> UInt? in
                var attributes = XWindowAttributes()
                guard XGetWindowAttributes(d, children[i], &attributes) != 0,
                      attributes.map_state == IsViewable, attributes.`class` == InputOutput else { return nil }
                return children[i]
            }
        }
    }

    /// The client window inside a root child: itself when it has WM_CLASS or a name, else a descendant with
    /// WM_STATE (a reparenting WM's frame), else the child itself.
    private func clientWindow(in frame: UInt) -> UInt? {
        if property(frame, "WM_CLASS") != nil || property(frame, "WM_STATE") != nil { return frame }
        let children: [UInt] = withDisplay { d in
            var rootReturn: UInt = 0, parent: UInt = 0
            var list: UnsafeMutablePointer<UInt>?
            var count: UInt32 = 0
            guard XQueryTree(d, frame, &rootReturn, &parent, &list, &count) != 0, let list else { return [] }
            defer { XFree(list) }
            return Array(UnsafeBufferPointer(start: list, count: Int(count)))
        }
        for child in children where property(child, "WM_STATE") != nil || property(child, "WM_CLASS") != nil {
            return child
        }
        return frame
    }

    private func topLevelAncestor(of window: UInt) -> UInt? {
        var current = window
        let tops = Set(windowsTopFirst())
        for _ in 0..<64 {
            if tops.contains(current) { return current }
            guard let parent = parentWindow(of: current), parent != 0, parent != root else { return current }
            current = parent
        }
        return current
    }

    /// The parent of `window` (0 for the root), nil when the window is gone.
    func parentWindow(of window: UInt) -> UInt? {
        withDisplay { d in
            var rootReturn: UInt = 0, parent: UInt = 0
            var list: UnsafeMutablePointer<UInt>?
            var count: UInt32 = 0
            guard XQueryTree(d, window, &rootReturn, &parent, &list, &count) != 0 else { return nil }
            if let list { XFree(list) }
            return parent
        }
    }
}
