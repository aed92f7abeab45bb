internal import CX11
import DeskCore

/// Draws the pointer into a frame: Xvfb (and real servers' GetImage) never include it.
public enum CursorOverlay {
    /// Composites the current cursor image (XFixes, premultiplied ARGB) onto `frame` at the pointer position.
    /// Returns the frame unchanged when XFixes is missing or the pointer is outside the frame.
    public static func apply(to frame: Frame, display: X11Display) -> Frame {
        guard frame.format == .bgrx || frame.format == .rgb || frame.format == .rgba else { return frame }
        return display.withDisplay { d in
            guard let cursor = XFixesGetCursorImage(d) else { return frame }
            defer { XFree(cursor) }
            var out = frame
            let c = cursor.pointee
            let left = Int(c.x) - Int(c.xhot) - frame.origin.x
            let top = Int(c.y) - Int(c.yhot) - frame.origin.y
            let bpp = frame.format.bytesPerPixel
            let swapRB = frame.format != .bgrx
            out.withMutablePixels { pixels in
                for cy in 0..<Int(c.height) {
                    let y = top + cy
                    guard y >= 0, y < frame.height else { continue }
                    for cx in 0..<Int(c.width) {
                        let x = left + cx
                        guard x >= 0, x < frame.width else { continue }
                        // Xlib hands cursor pixels over as C longs, one ARGB value in the low 32 bits.
                        let argb = UInt32(truncatingIfNeeded: c.pixels[cy * Int(c.width) + cx])
                        let a = Int(argb >> 24)
                        guard a > 0 else { continue }
                        var channels = [Int((argb >> 0) & 0xFF), Int((argb >> 8) & 0xFF), Int((argb >> 16) & 0xFF)]
                        if swapRB { channels.swapAt(0, 2) }
                        let i = y * frame.stride + x * bpp
                        for k in 0..<3 {
                            let dst = Int(pixels[i + k])
                            pixels[i + k] = UInt8(min(255, channels[k] + dst * (255 - a) / 255))
                        }
                    }
                }
            }
            return out
        }
    }
}
