internal import CX11
import DeskCore
import Foundation
import Synchronization

/// Captures frames from one display, through MIT-SHM when the server allows it and GetImage otherwise.
///
/// The shared-memory image is created once per capture size and reused, so steady-state capture is one
/// `XShmGetImage` plus one copy out of the segment. When SHM is missing or refused (a remote display, a
/// container without a shared IPC namespace answers BadAccess at attach), the capturer falls back to
/// GetImage for good and says why in ``fallbackReason``.
public final class ScreenCapturer: Sendable {
    public let display: X11Display
    /// The method in use now.
    public var method: CaptureMethod { state.withLock { $0.method } }
    /// Why SHM is not used, when it is not.
    public var fallbackReason: String? { state.withLock { $0.fallbackReason } }

    /// The method and the shared-memory segment; held for a whole capture, since each capture reuses (and
    /// overwrites) the one segment.
    private struct State {
        var method: CaptureMethod
        var fallbackReason: String?
        var shmImage: UnsafeMutablePointer<XImage>?
        var shmInfo: UnsafeMutablePointer<XShmSegmentInfo>?
        var shmSize = Size(width: 0, height: 0)
    }
    private let state: Mutex<State>

    /// - Parameter preferSHM: false forces GetImage (for comparisons and tests).
    public init(display: X11Display, preferSHM: Bool = true) {
        self.display = display
        if !preferSHM {
            state = Mutex(State(method: .getImage, fallbackReason: "GetImage requested"))
        } else if display.withDisplay({ XShmQueryExtension($0) }) == 0 {
            state = Mutex(State(method: .getImage, fallbackReason: "the server has no MIT-SHM extension"))
        } else {
            state = Mutex(State(method: .shm))
        }
    }

    deinit { state.withLock { releaseSHM(&$0) } }

    /// The rectangle `target` covers, in root-window pixels, validated against the screen.
    public func resolve(_ target: CaptureTarget) throws -> Rect {
        let screen = Rect(origin: Point(x: 0, y: 0), size: display.screenSize)
        switch target {
        case .root:
            return screen
        case .monitor(let index):
            let monitors = display.monitors()
            guard monitors.indices.contains(index) else {
                throw X11Error(.badArgument, display: display.name,
                               "monitor \(index) does not exist (there are \(monitors.count), numbered from 0)")
            }
            return monitors[index].rect
        case .region(let rect):
            guard screen.contains(rect), !rect.isEmpty else {
                throw X11Error(.badArgument, display: display.name,
                               "region \(rect.x),\(rect.y),\(rect.width),\(rect.height) is not inside the \(screen.width)x\(screen.height) screen")
            }
            return rect
        case .window(let id):
            let geometry = try display.windowGeometry(id)
            guard let visible = geometry.intersection(screen) else {
                throw X11Error(.badArgument, display: display.name,
                               "window 0x\(String(id, radix: 16)) is entirely off screen (\(geometry))")
            }
            return visible
        }
    }

    /// Captures `target` as a BGRX frame (or RGB on unusual visuals) with its root-window origin.
    public func capture(_ target: CaptureTarget = .root) throws -> Frame {
        let rect = try resolve(target)
        return try state.withLock { state in
            if state.method == .shm {
                do {
                    return try captureSHM(rect, &state)
                } catch let error as X11Error where error.code == .requestFailed {
                    releaseSHM(&state)
                    state.method = .getImage
                    state.fallbackReason = "MIT-SHM failed: \(error.detail)"
                }
            }
            return try captureGetImage(rect)
        }
    }

    /// Captures `target` and lends its pixels to `body` without copying them out of the shared segment
    /// (BGRX rows of `stride` bytes). The buffer is only valid inside `body`; the next capture overwrites it.
    /// Falls back to an owned frame when SHM is not in use. `body` must not capture with this capturer (the
    /// segment stays locked while it runs).
    public func withCaptureView<T: Sendable>(_ target: CaptureTarget = .root,
                                   _ body: (_ pixels: UnsafeRawBufferPointer, _ width: Int, _ height: Int, _ stride: Int) throws -> T) throws -> T {
        let rect = try resolve(target)
        let viewed: T? = try state.withLock { state in
            guard state.method == .shm, let image = try? ensureSHM(rect.size, &state) else { return nil }
            let ok = try display.checked("XShmGetImage of \(rect)") { d in
                XShmGetImage(d, display.root, image, Int32(rect.x), Int32(rect.y), CX11AllPlanes)
            }
            guard ok != 0, let data = image.pointee.data, image.pointee.bits_per_pixel == 32 else { return nil }
            let stride = Int(image.pointee.bytes_per_line)
            return try body(UnsafeRawBufferPointer(start: data, count: stride * rect.height), rect.width, rect.height, stride)
        }
        if let viewed { return viewed }
        let frame = try capture(target)
        return try frame.pixels.withUnsafeBytes { try body($0, frame.width, frame.height, frame.stride) }
    }

    private func ensureSHM(_ size: Size, _ state: inout State) throws -> UnsafeMutablePointer<XImage> {
        if let shmImage = state.shmImage, state.shmSize == size { return shmImage }
        releaseSHM(&state)
        let info = UnsafeMutablePointer<XShmSegmentInfo>.allocate(capacity: 1)
        info.initialize(to: XShmSegmentInfo())
        let image: UnsafeMutablePointer<XImage>? = display.withDisplay { d in
            XShmCreateImage(d, XDefaultVisual(d, display.screen), UInt32(XDefaultDepth(d, display.screen)),
                            ZPixmap, nil, info, UInt32(size.width), UInt32(size.height))
        }
        guard let image else {
            info.deallocate()
            throw X11Error(.requestFailed, display: display.name, "XShmCreateImage returned nothing")
        }
        let bytes = Int(image.pointee.bytes_per_line) * size.height
        let id = shmget(IPC_PRIVATE, bytes, IPC_CREAT | 0o600)
        guard id >= 0 else {
            XDestroyImage(image)
            info.deallocate()
            throw X11Error(.requestFailed, display: display.name, "shmget of \(bytes) bytes failed: errno \(errno)")
        }
        guard let address = shmat(id, nil, 0), address != UnsafeMutableRawPointer(bitPattern: -1) else {
            shmctl(id, IPC_RMID, nil)
            XDestroyImage(image)
            info.deallocate()
            throw X11Error(.requestFailed, display: display.name, "shmat failed: errno \(errno)")
        }
        info.pointee.shmid = id
        info.pointee.shmaddr = address.assumingMemoryBound(to: CChar.self)
        info.pointee.readOnly = 0
        image.pointee.data = info.pointee.shmaddr
        do {
            try display.checked("XShmAttach") { d in _ = XShmAttach(d, info) }
        } catch {
            shmdt(address)
            shmctl(id, IPC_RMID, nil)
            image.pointee.data = nil
            XDestroyImage(image)
            info.deallocate()
            throw error
        }
        // Marked for removal now, so the segment cannot outlive us even if we are killed.
        shmctl(id, IPC_RMID, nil)
        state.shmImage = image
        state.shmInfo = info
        state.shmSize = size
        return image
    }

    private func releaseSHM(_ state: inout State) {
        guard let image = state.shmImage, let info = state.shmInfo else { return }
        display.withDisplay { d in
            // On a lost connection Xlib blocks forever in the next request (its display lock is left
            // taken by the I/O error): skip the detach, the server is gone and took the attachment along.
            guard !X11ErrorTrap.isLost(d) else { return }
            XShmDetach(d, info)
            XSync(d, 0)
        }
        shmdt(info.pointee.shmaddr)
        image.pointee.data = nil
        XDestroyImage(image)
        info.deallocate()
        state.shmImage = nil
        state.shmInfo = nil
        state.shmSize = Size(width: 0, height: 0)
    }

    private func captureSHM(_ rect: Rect, _ state: inout State) throws -> Frame {
        let image = try ensureSHM(rect.size, &state)
        let ok = try display.checked("XShmGetImage of \(rect)") { d in
            XShmGetImage(d, display.root, image, Int32(rect.x), Int32(rect.y), CX11AllPlanes)
        }
        guard ok != 0 else {
            throw X11Error(.requestFailed, display: display.name, "XShmGetImage of \(rect) returned false")
        }
        return try frame(from: image, origin: rect.origin)
    }

    private func captureGetImage(_ rect: Rect) throws -> Frame {
        let image = try display.checked("XGetImage of \(rect)") { d in
            XGetImage(d, display.root, Int32(rect.x), Int32(rect.y), UInt32(rect.width), UInt32(rect.height),
                      CX11AllPlanes, ZPixmap)
        }
        guard let image else {
            throw X11Error(.requestFailed, display: display.name, "XGetImage of \(rect) returned no image")
        }
        defer { XDestroyImage(image) }
        return try frame(from: image, origin: rect.origin)
    }

    /// Copies an XImage out into a Frame: BGRX as is on the common 24/32-bit little-endian visual,
    /// otherwise pixel by pixel through the visual's masks into RGB.
    private func frame(from image: UnsafeMutablePointer<XImage>, origin: Point) throws -> Frame {
        let width = Int(image.pointee.width), height = Int(image.pointee.height)
        let stride = Int(image.pointee.bytes_per_line)
        let time = DispatchTime.now().uptimeNanoseconds
        guard let data = image.pointee.data else {
            throw X11Error(.requestFailed, display: display.name, "the captured image has no pixel data")
        }
        let fast = image.pointee.bits_per_pixel == 32 && image.pointee.byte_order == LSBFirst
            && image.pointee.red_mask == 0xFF0000 && image.pointee.green_mask == 0xFF00 && image.pointee.blue_mask == 0xFF
        if fast {
            let pixels = [UInt8](unsafeUninitializedCapacity: stride * height) { buffer, count in
                buffer.baseAddress!.update(from: UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self),
                                           count: stride * height)
                count = stride * height
            }
            return try Frame(width: width, height: height, stride: stride, format: .bgrx, origin: origin,
                         captureTime: time, pixels: pixels)
        }
        let rm = image.pointee.red_mask, gm = image.pointee.green_mask, bm = image.pointee.blue_mask
        func channel(_ pixel: UInt, _ mask: UInt) -> UInt8 {
            guard mask != 0 else { return 0 }
            let shift = mask.trailingZeroBitCount
            let maxValue = mask >> shift
            return UInt8(((pixel & mask) >> shift) * 255 / maxValue)
        }
        var out = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let p = XGetPixel(image, Int32(x), Int32(y))
                let i = (y * width + x) * 3
                out[i] = channel(p, rm)
                out[i + 1] = channel(p, gm)
                out[i + 2] = channel(p, bm)
            }
        }
        return try Frame(width: width, height: height, stride: width * 3, format: .rgb, origin: origin,
                     captureTime: time, pixels: out)
    }
}
