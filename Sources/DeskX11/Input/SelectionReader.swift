internal import CX11
import DeskCore
import Foundation

/// Reads the text a paste would insert — the CLIPBOARD or PRIMARY selection as UTF-8 — so that paste
/// chords and middle clicks are judged by that text. Its own connection and hidden window keep the
/// exchange apart from the main connection's events.
public enum SelectionReader {
    /// What reading a selection found.
    public enum Reading: Sendable, Equatable {
        /// Nobody owns the selection: a paste inserts nothing.
        case empty
        /// The selection's text.
        case text(String)
        /// The owner did not answer in time, answered without text, or sent it in pieces (INCR): what a
        /// paste would insert is unknown.
        case unknown
    }

    /// The text of `selection` (`CLIPBOARD`, `PRIMARY`) on display `displayName`: asked for as UTF8_STRING,
    /// then as STRING (Latin-1) — older toolkits (Xaw: xcalc, xterm's own) answer only the latter.
    public static func read(_ selection: String, displayName: String, timeout: Double = 2) -> Reading {
        guard let connection = try? X11Display(name: displayName) else { return .unknown }
        let selectionAtom = connection.atom(selection)
        let owner: UInt = connection.withDisplay { XGetSelectionOwner($0, selectionAtom) }
        guard owner != 0 else { return .empty }
        let deadline = Pause.now() + timeout
        for target in ["UTF8_STRING", "STRING"] {
            switch convert(selectionAtom, to: target, on: connection, until: deadline) {
            case .refused: continue
            case .reading(let reading): return reading
            }
        }
        return .unknown
    }

    private enum Answer {
        /// The owner cannot give that target.
        case refused
        case reading(Reading)
    }

    private static func convert(_ selectionAtom: UInt, to targetName: String, on connection: X11Display,
                                until deadline: Double) -> Answer {
        let property = connection.atom("DESKPILOT_PASTE_CHECK")
        let target = connection.atom(targetName)
        let incr = connection.atom("INCR")
        let window: UInt = connection.withDisplay { d in
            let w = XCreateSimpleWindow(d, connection.root, -10, -10, 1, 1, 0, 0, 0)
            XConvertSelection(d, selectionAtom, target, property, w, UInt(CurrentTime))
            _ = XFlush(d)
            return w
        }
        defer { connection.withDisplay { d in _ = XDestroyWindow(d, window); _ = XSync(d, 0) } }
        while Pause.now() < deadline {
            let notified: UInt? = connection.withDisplay { d in
                var event = XEvent()
                guard XCheckTypedWindowEvent(d, window, SelectionNotify, &event) != 0 else { return nil }
                return event.xselection.property
            }
            if let notified {
                guard notified != 0 else { return .refused }
                return .reading(connection.withDisplay { d in
                    var type: UInt = 0
                    var format: Int32 = 0
                    var count: UInt = 0, after: UInt = 0
                    var data: UnsafeMutablePointer<UInt8>?
                    // At most 4 MB: a longer paste is judged unknown rather than read without bound.
                    guard XGetWindowProperty(d, window, property, 0, 1 << 20, 1, 0, &type, &format, &count,
                                             &after, &data) == Success else { return .unknown }
                    defer { if let data { XFree(data) } }
                    guard type != incr, after == 0, format == 8, let data else { return .unknown }
                    let bytes = UnsafeBufferPointer(start: data, count: Int(count))
                    if targetName == "STRING" {
                        return .text(String(bytes.map { Character(Unicode.Scalar($0)) }))
                    }
                    return .text(String(decoding: bytes, as: UTF8.self))
                })
            }
            usleep(5_000)
        }
        return .reading(.unknown)
    }
}
