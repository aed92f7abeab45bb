internal import CX11
import Foundation
import Synchronization

/// Turns Xlib's process-ending error callbacks into recorded values a caller can throw.
///
/// Xlib calls its error handler from inside whichever request failed, with no user pointer, so the
/// handler must be a non-capturing C function writing to global state. Requests that may fail are
/// bracketed with ``X11ErrorTrap/capture(_:_:)``, which syncs and reads the recorded error back.
enum X11ErrorTrap {
    struct Recorded: Sendable {
        var errorCode: UInt8
        var requestCode: UInt8
        var minorCode: UInt8
        var resourceID: UInt
        var text: String
    }

    private struct State {
        var errors: [UInt: [Recorded]] = [:]  // keyed by Display pointer bits
        var lostConnections: Set<UInt> = []
    }

    // The handlers take no lock of Xlib's and call nothing back, so a plain (non-recursive) lock does.
    private static let state = Mutex(State())
    private static let installOnce: Void = {
        XSetErrorHandler { display, event in
            guard let display, let event else { return 0 }
            var buffer = [CChar](repeating: 0, count: 256)
            XGetErrorText(display, Int32(event.pointee.error_code), &buffer, Int32(buffer.count))
            let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let recorded = Recorded(errorCode: event.pointee.error_code, requestCode: event.pointee.request_code,
                                    minorCode: event.pointee.minor_code, resourceID: event.pointee.resourceid,
                                    text: text)
            let key = UInt(bitPattern: Int(bitPattern: UnsafeRawPointer(display)))
            X11ErrorTrap.state.withLock { $0.errors[key, default: []].append(recorded) }
            return 0
        }
        XSetIOErrorHandler { display in
            if let display {
                let key = UInt(bitPattern: Int(bitPattern: UnsafeRawPointer(display)))
                _ = X11ErrorTrap.state.withLock { $0.lostConnections.insert(key) }
            }
            return 0
        }
    }()

    /// Installs the handlers once per process (before the first `XOpenDisplay`).
    static func install() { _ = installOnce }

    /// Xlib's default I/O error handler calls exit(). With this per-display exit handler (libX11 >= 1.7)
    /// returning, Xlib returns to the caller with the connection marked dead instead.
    static func installExitHandler(_ display: OpaquePointer) {
        XSetIOErrorExitHandler(display, { display, _ in
            guard let display else { return }
            let key = UInt(bitPattern: Int(bitPattern: UnsafeRawPointer(display)))
            _ = X11ErrorTrap.state.withLock { $0.lostConnections.insert(key) }
        }, nil)
    }

    static func key(_ display: OpaquePointer) -> UInt { UInt(bitPattern: Int(bitPattern: UnsafeRawPointer(display))) }

    /// Errors recorded for `display` since the last call, cleared.
    static func take(_ display: OpaquePointer) -> [Recorded] {
        let key = key(display)
        return state.withLock { $0.errors.removeValue(forKey: key) } ?? []
    }

    static func isLost(_ display: OpaquePointer) -> Bool {
        let key = key(display)
        return state.withLock { $0.lostConnections.contains(key) }
    }

    static func forget(_ display: OpaquePointer) {
        let key = key(display)
        state.withLock { state in
            state.errors.removeValue(forKey: key)
            state.lostConnections.remove(key)
        }
    }
}
