import DeskCore
import DeskImaging
import DeskX11
import Foundation

/// Full-screen capture and capture+PNG, deskpilot against python-mss, PIL, scrot, xwd, ImageMagick and memcpy.
enum CaptureBench {
    static func run(desktop: BenchDesktop, peers: PeerProcess?, rounds: Int, batch: Int, tmp: String) throws -> [BenchTable] {
        let env = desktop.session.environment()
        let capturer = ScreenCapturer(display: desktop.display)
        let size = desktop.display.screenSize
        let label = "\(size.width)x\(size.height)"
        let first = try capturer.capture(.root)
        let frameBytes = first.pixels

        // Correctness: the PNG deskpilot writes decodes to exactly the captured pixels.
        let png = try PNGCodec.encode(first)
        let decoded = try PNGCodec.decode(png)
        let rgb = first.toRGB()
        let exact = decoded.pixels == rgb.pixels
        let pngNote = exact ? "PNG decodes to the captured pixels (\(png.count / 1024) KiB)" : "PNG DIFFERS from the capture"

        var captureContenders = [
            Contender(name: "deskpilot capture, zero-copy view (\(capturer.method.rawValue))", isDeskpilot: true, runBatch: {
                try (0..<batch).map { _ in
                    try measureMS { _ = try capturer.withCaptureView(.root) { pixels, _, _, _ in pixels[pixels.count / 2] } }
                }
            }),
            Contender(name: "deskpilot capture into an owned Frame", isDeskpilot: false, runBatch: {
                try (0..<batch).map { _ in try measureMS { _ = try capturer.capture(.root) } }
            }),
            Contender(name: "memcpy of one frame (floor)", isDeskpilot: false, runBatch: {
                var copy = [UInt8](repeating: 0, count: frameBytes.count)
                return (0..<batch).map { _ in
                    measureMS {
                        copy.withUnsafeMutableBytes { dst in
                            frameBytes.withUnsafeBytes { src in dst.copyMemory(from: src) }
                        }
                    }
                }
            }),
        ]
        if let peers {
            captureContenders.append(Contender(name: "python-mss grab", isDeskpilot: false, runBatch: {
                try peers.times(["op": "mss_grab", "n": batch])
            }))
        }
        let tools: [(String, [String])] = [
            ("xwd -root (process)", ["xwd", "-root", "-silent", "-out", "\(tmp)/bench.xwd"]),
        ]
        for (name, argv) in tools where XvfbSession.findExecutable(argv[0]) != nil {
            captureContenders.append(Contender(name: name, isDeskpilot: false, runBatch: {
                [try CommandTimer.time(argv, environment: env)]
            }))
        }
        let captureTable = BenchTable.measure(
            title: "Full-screen capture, \(label)",
            note: "In-process time per capture of the whole root into memory (deskpilot: XShmGetImage into a reused segment plus one copy out; mss: `grab` + `.raw`). Subprocess tools include process start-up.",
            rounds: rounds, contenders: captureContenders)

        let out = "\(tmp)/bench-capture.png"
        var pngContenders = [
            Contender(name: "deskpilot capture + PNG + write", isDeskpilot: true, runBatch: {
                try (0..<batch).map { _ in
                    try measureMS {
                        let f = try capturer.capture(.root)
                        try PNGCodec.write(f, to: out)
                    }
                }
            }, correctness: { pngNote }),
        ]
        if let peers {
            pngContenders.append(Contender(name: "mss grab + mss.tools.to_png", isDeskpilot: false, runBatch: {
                try peers.times(["op": "mss_grab_png", "n": batch, "out": "\(tmp)/bench-mss.png"])
            }))
            pngContenders.append(Contender(name: "mss grab + PIL save (default level)", isDeskpilot: false, runBatch: {
                try peers.times(["op": "pil_save", "n": batch, "out": "\(tmp)/bench-pil.png"])
            }))
            pngContenders.append(Contender(name: "mss grab + PIL save (level 1)", isDeskpilot: false, runBatch: {
                try peers.times(["op": "pil_save", "n": batch, "out": "\(tmp)/bench-pil1.png", "level": 1])
            }))
        }
        let pngTools: [(String, [String])] = [
            ("scrot (process)", ["scrot", "-o", "\(tmp)/bench-scrot.png"]),
            ("import -window root (process)", ["import", "-window", "root", "\(tmp)/bench-import.png"]),
        ]
        for (name, argv) in pngTools where XvfbSession.findExecutable(argv[0]) != nil {
            pngContenders.append(Contender(name: name, isDeskpilot: false, runBatch: {
                [try CommandTimer.time(argv, environment: env)]
            }))
        }
        let pngTable = BenchTable.measure(
            title: "Capture + PNG encode + write, \(label)",
            note: "One full-screen capture encoded to a PNG file. deskpilot: zlib level 1, filter 0 (UI content). mss.tools.to_png uses zlib level 6; PIL's default is level 6 with adaptive filters.",
            rounds: rounds, contenders: pngContenders)
        return [captureTable, pngTable]
    }
}
