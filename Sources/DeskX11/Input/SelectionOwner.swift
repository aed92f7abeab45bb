internal import CX11
import DeskCore
import Foundation

/// Owns a selection (CLIPBOARD or PRIMARY) with a hidden window and serves one text to whoever asks, for
/// paste typing.
///
/// It has its own connection so its event loop never competes with other users of the main one. It answers
/// `TARGETS`, `TIMESTAMP`, `UTF8_STRING` (and its aliases `TEXT`, `text/plain;charset=utf-8`,
/// `text/plain`) and `STRING` (Latin-1, refused when the text is not Latin-1). ``serve(timeout:linger:)``
/// returns once a requestor has fetched the text and no further request came for a short while, so the
/// process does not exit while the paste is in flight. INCR transfers are not implemented: texts larger than
/// one request are refused up front.
final class SelectionOwner: Sendable {
    let connection: X11Display
    let window: UInt
    let selectionName: String
    private let selection: UInt
    private let utf8: [UInt8]
    private let ownedSince: UInt

    init(displayName: String, selection: PasteSelection, text: String) throws {
        let connection = try X11Display(name: displayName)
        self.connection = connection
        self.selectionName = selection.atomName
        self.utf8 = Array(text.utf8)
        let selectionAtom = connection.atom(selection.atomName)
        self.selection = selectionAtom
        let stampAtom = connection.atom("DESKPILOT_SELECTION_TIME")
        let limit: Int = connection.withDisplay { d in
            let extended = Int(XExtendedMaxRequestSize(d))
            return (extended > 0 ? extended : Int(XMaxRequestSize(d))) * 4 - 1024
        }
        guard utf8.count <= limit else {
            throw InputError("the text is \(utf8.count) bytes; paste typing serves at most \(limit) bytes (use --method keys)")
        }
        let (window, time): (UInt, UInt) = try connection.checked("creating the selection window") { d in
            var attributes = XSetWindowAttributes()
            attributes.event_mask = PropertyChangeMask
            let w = XCreateWindow(d, connection.root, -10, -10, 1, 1, 0, 0, UInt32(InputOnly), nil,
                                  UInt(CWEventMask), &attributes)
            // ICCCM: own the selection with a real server time, taken from a property change on our window.
            var none: UInt8 = 0
            XChangeProperty(d, w, stampAtom, UInt(XA_STRING), 8, PropModeAppend, &none, 0)
            var event = XEvent()
            XWindowEvent(d, w, PropertyChangeMask, &event)
            return (w, event.xproperty.time)
        }
        self.window = window
        self.ownedSince = time
        let owner: UInt = try connection.checked("taking ownership of \(selection.atomName)") { d in
            XSetSelectionOwner(d, selectionAtom, window, time)
            return XGetSelectionOwner(d, selectionAtom)
        }
        guard owner == window else {
            connection.withDisplay { d in _ = XDestroyWindow(d, window) }
            throw EnvironmentError("display \(displayName): could not take ownership of the \(selection.atomName) selection")
        }
    }

    deinit {
        connection.withDisplay { d in
            _ = XDestroyWindow(d, window)
            _ = XSync(d, 0)
        }
    }

    /// Serves requests until one fetched the text and `linger` seconds passed without another, or until
    /// `timeout`. Returns whether the text was fetched. Stops early when another client takes the selection.
    func serve(timeout: Double, linger: Double = 0.1) throws -> Bool {
        let deadline = Pause.now() + timeout
        var lastDelivery: Double?
        let fd = connection.withDisplay { XConnectionNumber($0) }
        while true {
            try StopFlag.current.check()
            var lost = false
            connection.withDisplay { d in
                while XPending(d) > 0 {
                    var event = XEvent()
                    XNextEvent(d, &event)
                    switch event.type {
                    case SelectionRequest:
                        if answer(d, event.xselectionrequest) { lastDelivery = Pause.now() }
                    case SelectionClear:
                        lost = true
                    default:
                        break
                    }
                }
            }
            let now = Pause.now()
            if let lastDelivery, now - lastDelivery >= linger { return true }
            if lost { return lastDelivery != nil }
            if now >= deadline { return lastDelivery != nil }
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            _ = poll(&pfd, 1, 10)
        }
    }

    /// Answers one request; true when it delivered the text.
    private func answer(_ d: OpaquePointer, _ request: XSelectionRequestEvent) -> Bool {
        let property = request.property != 0 ? request.property : request.target
        let targetName: String = {
            guard let cName = XGetAtomName(d, request.target) else { return "" }
            defer { XFree(cName) }
            return String(cString: cName)
        }()
        var delivered = false
        var replyProperty: UInt = property
        let utf8Atom = connection.atom("UTF8_STRING")
        if request.selection != selection || request.owner != window {
            replyProperty = 0
        } else {
            switch targetName {
            case "TARGETS":
                // Format-32 property data is an array of C longs in Xlib, whatever the wire size.
                let atoms: [UInt] = ["TARGETS", "TIMESTAMP", "UTF8_STRING", "TEXT", "text/plain;charset=utf-8",
                                     "text/plain", "STRING"].map { connection.atom($0) }
                atoms.withUnsafeBytes { raw in
                    _ = XChangeProperty(d, request.requestor, property, UInt(XA_ATOM), 32, PropModeReplace,
                                        raw.baseAddress?.assumingMemoryBound(to: UInt8.self), Int32(atoms.count))
                }
            case "TIMESTAMP":
                let stamp: [UInt] = [ownedSince]
                stamp.withUnsafeBytes { raw in
                    _ = XChangeProperty(d, request.requestor, property, UInt(XA_INTEGER), 32, PropModeReplace,
                                        raw.baseAddress?.assumingMemoryBound(to: UInt8.self), 1)
                }
            case "UTF8_STRING", "TEXT", "text/plain;charset=utf-8", "text/plain":
                let type = targetName == "UTF8_STRING" || targetName == "TEXT" ? utf8Atom : request.target
                utf8.withUnsafeBufferPointer { buffer in
                    _ = XChangeProperty(d, request.requestor, property, type, 8, PropModeReplace,
                                        buffer.baseAddress, Int32(buffer.count))
                }
                delivered = true
            case "STRING":
                let scalars = String(decoding: utf8, as: UTF8.self).unicodeScalars
                if scalars.allSatisfy({ $0.value <= 0xff }) {
                    let latin1 = scalars.map { UInt8($0.value) }
                    latin1.withUnsafeBufferPointer { buffer in
                        _ = XChangeProperty(d, request.requestor, property, UInt(XA_STRING), 8, PropModeReplace,
                                            buffer.baseAddress, Int32(buffer.count))
                    }
                    delivered = true
                } else {
                    replyProperty = 0
                }
            default:
                replyProperty = 0
            }
        }
        var reply = XEvent()
        reply.xselection.type = SelectionNotify
        reply.xselection.send_event = 1
        reply.xselection.display = d
        reply.xselection.requestor = request.requestor
        reply.xselection.selection = request.selection
        reply.xselection.target = request.target
        reply.xselection.property = replyProperty
        reply.xselection.time = request.time
        _ = XSendEvent(d, request.requestor, 0, 0, &reply)
        _ = XFlush(d)
        return delivered
    }
}
