import DeskCore
import DeskImaging
import DeskX11
import Foundation

/// Image grounding: finding an icon cut from a real screen, deskpilot's NCC (OpenBLAS) against OpenCV's
/// matchTemplate (TM_CCOEFF_NORMED) on the same screen and template.
enum TemplateBench {
    static func run(desktop: BenchDesktop, peers: PeerProcess?, rounds: Int, batch: Int, tmp: String) throws -> BenchTable {
        let screen = try ScreenCapturer(display: desktop.display).capture(.root).toRGB()
        // A 96x40 piece of the fixture's "Save" button row: a third of the screen down, a quarter across.
        let size = desktop.display.screenSize
        let spot = Rect(x: size.width / 4 + 400, y: size.height / 3 + 120, width: 96, height: 40)
        guard let template = screen.cropped(to: spot) else { throw InputError("template spot off screen") }
        let screenPath = "\(tmp)/template-screen.png", templatePath = "\(tmp)/template.png"
        try PNGCodec.write(screen, to: screenPath)
        try PNGCodec.write(template, to: templatePath)
        let matcher = TemplateMatcher(template: template)
        var found = "not found"
        var contenders = [Contender(name: "deskpilot TemplateMatcher (NCC, OpenBLAS, coarse to fine)", isDeskpilot: true, runBatch: {
            (0..<batch).map { _ in
                measureMS {
                    if let m = matcher.bestMatch(in: screen, threshold: 0.9) {
                        found = m.rect.origin == spot.origin ? "found at the cut position, score \(String(format: "%.3f", m.score))"
                            : "found at \(m.rect.origin), expected \(spot.origin)"
                    }
                }
            }
        }, correctness: { found })]
        if let peers {
            var cvFound = ""
            var c = Contender(name: "OpenCV matchTemplate TM_CCOEFF_NORMED (grayscale)", isDeskpilot: false, runBatch: {
                let answer = try peers.call(["op": "opencv_match", "n": batch, "screen": screenPath, "template": templatePath])
                if let x = answer["x"] as? Int, let y = answer["y"] as? Int, let s = answer["score"] as? Double {
                    cvFound = (x == spot.x && y == spot.y) ? "found at the cut position, score \(String(format: "%.3f", s))" : "found at (\(x),\(y))"
                }
                return answer["times_ms"] as? [Double] ?? []
            })
            c.correctness = { cvFound }
            contenders.append(c)
        }
        return BenchTable.measure(
            title: "Image template match, \(size.width)x\(size.height)",
            note: "A 96x40 template cut from the screen, found again in the full screenshot (both already in memory; OpenCV reads them once as grayscale).",
            rounds: rounds, contenders: contenders)
    }
}
