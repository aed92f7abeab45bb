internal import CX11
import DeskCore
import Foundation
import Synchronization

/// Watches every input event the X server processes, and every keymap change clients send, through the
/// RECORD extension — not by polling — and hands them over in the server's order.
///
/// RECORD needs two connections: a control connection that creates and later disables the context, and a
/// data connection that `XRecordEnableContext` blocks on while it delivers. The data connection lives on
/// a thread of its own, never on Swift's cooperative pool.
public final class InputRecorder: Sendable {
    private let control: X11Display
    private let data: X11Display
    private let context: UInt
    private let finished = Mutex<Bool>(false)
    private let done = DispatchSemaphore(value: 0)
    private let sink: Sink

    /// What the C callback reaches through its closure pointer.
    final class Sink: Sendable {
        let decoder: RecordWireDecoder
        let onInput: @Sendable (RecordedInput) -> Void

        init(decoder: RecordWireDecoder, onInput: @escaping @Sendable (RecordedInput) -> Void) {
            self.decoder = decoder
            self.onInput = onInput
        }
    }

    /// Starts recording on `displayName`; `onInput` is called on the recorder's thread for each event and
    /// keymap change, in order. Fails when the server has no RECORD extension.
    public init(displayName: String, onInput: @escaping @Sendable (RecordedInput) -> Void) throws {
        let control = try X11Display(name: displayName)
        let data = try X11Display(name: displayName)
        var major: Int32 = 0, minor: Int32 = 0
        guard control.withDisplay({ XRecordQueryVersion($0, &major, &minor) }) != 0 else {
            throw X11Error(.extensionMissing, display: control.name,
                           "the X server has no RECORD extension, which `deskpilot record` needs to watch input")
        }
        var xkbOpcode: Int32 = 0, firstEvent: Int32 = 0, firstError: Int32 = 0
        let hasXKB = control.withDisplay { XQueryExtension($0, "XKEYBOARD", &xkbOpcode, &firstEvent, &firstError) } != 0
        let context: UInt = try control.checked("creating a RECORD context") { d in
            guard let input = XRecordAllocRange() else {
                throw X11Error(.requestFailed, display: control.name, "XRecordAllocRange failed")
            }
            defer { XFree(input) }
            input.pointee.device_events.first = UInt8(KeyPress)
            input.pointee.device_events.last = UInt8(MotionNotify)
            input.pointee.core_requests.first = RecordWireDecoder.changeKeyboardMappingOpcode
            input.pointee.core_requests.last = RecordWireDecoder.changeKeyboardMappingOpcode
            var ranges: [UnsafeMutablePointer<XRecordRange>?] = [input]
            var extra: [UnsafeMutablePointer<XRecordRange>] = []
            if hasXKB {
                input.pointee.ext_requests.ext_major.first = UInt8(xkbOpcode)
                input.pointee.ext_requests.ext_major.last = UInt8(xkbOpcode)
                input.pointee.ext_requests.ext_minor.first = UInt16(RecordWireDecoder.xkbSetMapMinor)
                input.pointee.ext_requests.ext_minor.last = UInt16(RecordWireDecoder.xkbSetMapMinor)
                if let byName = XRecordAllocRange() {
                    byName.pointee.ext_requests.ext_major.first = UInt8(xkbOpcode)
                    byName.pointee.ext_requests.ext_major.last = UInt8(xkbOpcode)
                    byName.pointee.ext_requests.ext_minor.first = UInt16(RecordWireDecoder.xkbGetKeyboardByNameMinor)
                    byName.pointee.ext_requests.ext_minor.last = UInt16(RecordWireDecoder.xkbGetKeyboardByNameMinor)
                    extra.append(byName)
                    ranges.append(byName)
                }
            }
            defer { extra.forEach { XFree($0) } }
            var clients = XRecordClientSpec(XRecordAllClients)
            let id = ranges.withUnsafeMutableBufferPointer { buffer in
                XRecordCreateContext(d, 0, &clients, 1, buffer.baseAddress, Int32(buffer.count))
            }
            _ = XSync(d, 0)
            guard id != 0 else { throw X11Error(.requestFailed, display: control.name, "XRecordCreateContext failed") }
            return id
        }
        self.control = control
        self.data = data
        self.context = context
        self.sink = Sink(decoder: RecordWireDecoder(xkbMajorOpcode: hasXKB ? UInt8(xkbOpcode) : nil), onInput: onInput)
        let thread = Thread { [data, context, sink, done] in
            defer { done.signal() }
            let closure = Unmanaged.passUnretained(sink).toOpaque().assumingMemoryBound(to: CChar.self)
            data.withDisplay { d in
                _ = XRecordEnableContext(d, context, { closure, intercepted in
                    guard let intercepted else { return }
                    defer { XRecordFreeData(intercepted) }
                    guard let closure else { return }
                    let sink = Unmanaged<InputRecorder.Sink>.fromOpaque(UnsafeRawPointer(closure)).takeUnretainedValue()
                    InputRecorder.deliver(intercepted.pointee, to: sink)
                }, closure)
            }
        }
        thread.name = "deskpilot record"
        thread.start()
    }

    static func deliver(_ item: XRecordInterceptData, to sink: Sink) {
        guard let bytes = item.data, item.data_len > 0 else { return }
        let buffer = Array(UnsafeBufferPointer(start: bytes, count: Int(item.data_len) * 4))
        let swapped = item.client_swapped != 0
        let input: RecordedInput?
        switch Int32(item.category) {
        case XRecordFromServer: input = sink.decoder.decodeEvent(buffer, swapped: swapped)
        case XRecordFromClient: input = sink.decoder.decodeRequest(buffer, swapped: swapped)
        default: input = nil
        }
        if let input { sink.onInput(input) }
    }

    /// Stops recording and waits (up to a few seconds) for the last events to be delivered. Safe to call
    /// more than once.
    public func stop() {
        let first = finished.withLock { done in
            defer { done = true }
            return !done
        }
        guard first else { return }
        control.withDisplay { d in
            _ = XRecordDisableContext(d, context)
            _ = XSync(d, 0)
        }
        _ = done.wait(timeout: .now() + 5)
        control.withDisplay { d in
            _ = XRecordFreeContext(d, context)
            _ = XSync(d, 0)
        }
    }

    deinit { stop() }
}
