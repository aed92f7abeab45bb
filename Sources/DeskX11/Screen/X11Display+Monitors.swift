internal import CX11
import DeskCore

extension X11Display {
    /// The monitors RandR 1.5 reports (active ones, user-defined included), in the server's order, which is the
    /// 0-based numbering of `--monitor N`. Without RandR, the whole root is one monitor.
    public func monitors() -> [Monitor] {
        let size = screenSize
        let whole = [Monitor(name: "screen", rect: Rect(origin: Point(x: 0, y: 0), size: size), primary: true)]
        guard hasExtension("RANDR") else { return whole }
        return withDisplay { d in
            var count: Int32 = 0
            guard let list = XRRGetMonitors(d, root, 1, &count), count > 0 else { return whole }
            defer { XRRFreeMonitors(list) }
            return (0..<Int(count)).map { i in
                let m = list[i]
                var name = "monitor-\(i)"
                if m.name != 0, let cName = XGetAtomName(d, m.name) {
                    name = String(cString: cName)
                    XFree(cName)
                }
                return Monitor(name: name,
                               rect: Rect(x: Int(m.x), y: Int(m.y), width: Int(m.width), height: Int(m.height)),
                               primary: m.primary != 0)
            }
        }
    }
}
