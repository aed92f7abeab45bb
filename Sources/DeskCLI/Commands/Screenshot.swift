import ArgumentParser
import DeskCore
import DeskImaging
import DeskRuntime
import DeskX11
import Foundation

/// `deskpilot screenshot`: the screen, a monitor, a region or a window as PNG.
public struct Screenshot: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        abstract: "Capture the screen (or a monitor, region or window) to a PNG file, or to stdout with -o -.")

    @OptionGroup var displayOptions: DisplayOptions

    @Option(name: .shortAndLong, help: "Output PNG path, or - for stdout.")
    var output: String

    @Option(name: .long, help: "Capture one monitor, 0-based in the order `info` lists them.")
    var monitor: Int?

    @Option(name: .long, help: "Capture a region X,Y,W,H in root-window pixels.")
    var region: String?

    @Option(name: .long, help: "Capture the area of a window (id in hex 0x… or decimal).")
    var window: String?

    @Flag(name: .long, help: "Draw the mouse pointer into the image (X servers leave it out).")
    var cursor = false

    @Flag(name: .long, help: "Use core GetImage instead of MIT-SHM (for comparison).")
    var noShm = false

    public func validate() throws {
        let chosen = [monitor != nil, region != nil, window != nil].filter { $0 }.count
        if chosen > 1 { throw ValidationError("--monitor, --region and --window exclude each other") }
        if let monitor, monitor < 0 { throw ValidationError("--monitor is 0-based and cannot be negative") }
        if let region, Rect(parsing: region) == nil {
            throw ValidationError("--region wants X,Y,W,H with a positive width and height (got '\(region)')")
        }
        if let window, WindowInfo.parseID(window) == nil {
            throw ValidationError("--window wants a window id in hex (0x3a00007) or decimal (got '\(window)')")
        }
    }

    public func run() throws {
        // Fail on an unwritable path before touching the display.
        if output != "-" { try OutputPath.checkWritable(output) }
        let context = try displayOptions.open()
        let capturer = ScreenCapturer(display: context.display, preferSHM: !noShm)
        var target = CaptureTarget.root
        if let monitor { target = .monitor(monitor) }
        if let region, let rect = Rect(parsing: region) { target = .region(rect) }
        if let window, let id = WindowInfo.parseID(window) { target = .window(id) }
        let png: [UInt8]
        if cursor || noShm {
            var frame = try capturer.capture(target)
            if cursor { frame = CursorOverlay.apply(to: frame, display: context.display) }
            png = try PNGCodec.encode(frame)
        } else {
            // Encoded straight from the shared segment, not copied into a frame first. Rows narrower than BGRX
            // come only from an owned RGB frame (MIT-SHM failed on an unusual visual): that one is encoded as such.
            let view = try capturer.withCaptureView(target) { pixels, width, height, stride in
                stride >= width * 4 ? try PNGCodec.encodeBGRX(pixels, width: width, height: height, stride: stride) : nil
            }
            png = try view ?? PNGCodec.encode(try capturer.capture(target))
        }
        if output == "-" {
            FileHandle.standardOutput.write(Data(png))
        } else {
            try OutputPath.write(png, to: output)
        }
    }
}
