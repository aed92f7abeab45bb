import DeskCore
import DeskGrounding
import DeskImaging
import DeskX11
import Foundation

/// The `grounding` section of `deskpilot bench`: text locate latency and accuracy on labelled screens drawn
/// by `deskpilot-labels`, side by side with the `tesseract` command line on the same screenshots.
///
/// Rows per layout (sparse UI screens, text-dense screens): deskpilot cold (cache cleared, models loaded),
/// warm on an unchanged screen, after one window changed (a popup appears), and `tesseract FILE.png` on the
/// full screenshot (with OMP_THREAD_LIMIT=1, its faster setting on few cores). Correctness: how many labels
/// `locate` lands inside, and how many labels the `tesseract` output contains.
enum GroundingBench {
    /// Sparse UI layouts and the text-dense one, as (scene, seed) of `deskpilot-labels`.
    static let sparseScenes = [(0, 1), (1, 1), (2, 1), (4, 1), (0, 2), (2, 2)]
    static let denseScenes = [(3, 1), (3, 2)]
    /// Small text (8–12 px) on light (scene 6) and dark (scene 7) screens: the everyday words of toolbars.
    static let smallScenes = [(6, 1), (6, 2), (7, 1), (7, 2)]

    static func run(helperDirectory: String, rounds: Int, tmp: String, log: (String) -> Void) throws -> [BenchTable] {
        let labels = (helperDirectory as NSString).appendingPathComponent("deskpilot-labels")
        guard FileManager.default.isExecutableFile(atPath: labels) else {
            throw EnvironmentError("deskpilot-labels is not built next to deskpilot (\(labels))")
        }
        let session = try XvfbSession.start(screen: Size(width: 1920, height: 1080))
        defer { session.stop() }
        let display = try X11Display(name: session.displayName)
        let capturer = ScreenCapturer(display: display)
        var tables: [BenchTable] = []
        for (title, scenes) in [("sparse UI screens", sparseScenes), ("text-dense screens", denseScenes),
                                ("small text, light and dark", smallScenes)] {
            log("bench: grounding on \(title)…")
            var shots: [Shot] = []
            for (scene, seed) in scenes {
                shots.append(try Shot.take(scene: scene, seed: seed, labels: labels, session: session,
                                           capturer: capturer, tmp: tmp))
            }
            tables.append(measure(title: "Text grounding: \(title)", shots: shots, rounds: rounds, tmp: tmp,
                                  env: session.environment()))
        }
        return tables
    }

    /// One labelled screen: the frame, its PNG, the frame with a popup over it, and the labels.
    struct Shot {
        var frame: Frame
        var changed: Frame
        var png: String
        var targets: [(text: String, box: Rect)]

        static func take(scene: Int, seed: Int, labels: String, session: XvfbSession, capturer: ScreenCapturer,
                         tmp: String) throws -> Shot {
            let truthPath = "\(tmp)/labels-\(scene)-\(seed).json"
            let (child, truth) = try start([labels, "--scene", "\(scene)", "--seed", "\(seed)", "--out", truthPath], truthPath, session)
            defer { child.terminate(grace: 0.5) }
            let frame = try capturer.capture(.root)
            let popupTruth = "\(tmp)/popup-\(scene)-\(seed).json"
            let (popup, _) = try start([labels, "--scene", "5", "--seed", "\(seed + 100)", "--geometry", "420x160+700+420",
                                        "--out", popupTruth], popupTruth, session)
            defer { popup.terminate(grace: 0.5) }
            let changed = try capturer.capture(.root)
            let png = "\(tmp)/screen-\(scene)-\(seed).png"
            try Data(try PNGCodec.encode(frame)).write(to: URL(fileURLWithPath: png))
            let targets = ((truth["targets"] as? [[String: Any]]) ?? []).compactMap { t -> (String, Rect)? in
                guard let text = t["text"] as? String, let b = t["box"] as? [Int], b.count == 4 else { return nil }
                return (text, Rect(x: b[0], y: b[1], width: b[2], height: b[3]))
            }
            return Shot(frame: frame, changed: changed, png: png, targets: targets)
        }

        private static func start(_ argv: [String], _ truthPath: String,
                                  _ session: XvfbSession) throws -> (ChildProcess, [String: Any]) {
            let child = try ChildProcess.spawn(argv, environment: session.environment())
            let deadline = Date().addingTimeInterval(20)
            while !FileManager.default.fileExists(atPath: truthPath) {
                if Date() > deadline || !child.isRunning {
                    child.terminate(grace: 0.5)
                    throw EnvironmentError("deskpilot-labels did not draw its scene within 20 s")
                }
                usleep(20_000)
            }
            let data = try Data(contentsOf: URL(fileURLWithPath: truthPath))
            return (child, (try JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:])
        }
    }

    static func percent(_ a: Int, _ b: Int) -> String {
        String(format: "%.1f %%", 100 * Double(a) / Double(max(1, b)))
    }

    static func measure(title: String, shots: [Shot], rounds: Int, tmp: String, env: [String: String]) -> BenchTable {
        let locator = TextLocator()
        // Load the models outside the timings (reported in the note).
        let load = measureMS { _ = try? locator.recognize(shots[0].frame) }
        // Hit rates with and without the second pass (SecondReading), on the same screens.
        func hits(_ l: TextLocator) -> (located: Int, total: Int) {
            var located = 0, total = 0
            for shot in shots {
                l.clearCache()
                for t in shot.targets {
                    total += 1
                    if let m = try? l.locate(TextQuery(t.text), in: shot.frame, windows: []).first, t.box.contains(m.point) {
                        located += 1
                    }
                }
            }
            return (located, total)
        }
        let firstPass = TextLocator(secondPass: false)
        _ = try? firstPass.recognize(shots[0].frame)
        let (firstLocated, _) = hits(firstPass)
        let (located, total) = hits(locator)
        let absent = "Xylophone"
        
        var cliHits = 0
        var cliChecked = false
        let first = shots[0].targets.first?.text ?? "Save"
        let cold = Contender(name: "deskpilot locate, cold", isDeskpilot: true, runBatch: {
            try shots.map { shot in
                locator.clearCache()
                return try measureMS { _ = try locator.locate(TextQuery(first), in: shot.frame, windows: []) }
            }
        }, correctness: { "located \(located)/\(total) labels (\(percent(located, total)))" })
        let coldFirst = Contender(name: "deskpilot locate, cold, first pass only", isDeskpilot: false, runBatch: {
            try shots.map { shot in
                firstPass.clearCache()
                return try measureMS { _ = try firstPass.locate(TextQuery(first), in: shot.frame, windows: []) }
            }
        }, correctness: { "located \(firstLocated)/\(total) labels (\(percent(firstLocated, total)))" })
        // A word that is not there: the first pass finds nothing, so the second pass runs (cold), and on
        // the unchanged screen again (its readings cached).
        let missCold = Contender(name: "deskpilot locate, absent word (second pass)", isDeskpilot: false, runBatch: {
            try shots.map { shot in
                _ = try locator.recognize(shot.frame)
                locator.clearCache()
                _ = try locator.recognize(shot.frame)
                return try measureMS { _ = try locator.locate(TextQuery(absent), in: shot.frame, windows: []) }
            }
        })
        let missWarm = Contender(name: "deskpilot locate, absent word, unchanged screen", isDeskpilot: false, runBatch: {
            try shots.map { shot in
                _ = try locator.locate(TextQuery(absent), in: shot.frame, windows: [])
                return try measureMS { _ = try locator.locate(TextQuery(absent), in: shot.frame, windows: []) }
            }
        })
        let warm = Contender(name: "deskpilot locate, unchanged screen", isDeskpilot: false, runBatch: {
            try shots.map { shot in
                _ = try locator.locate(TextQuery(first), in: shot.frame, windows: [])
                return try measureMS { _ = try locator.locate(TextQuery(first), in: shot.frame, windows: []) }
            }
        })
        let change = Contender(name: "deskpilot locate, one window changed", isDeskpilot: false, runBatch: {
            try shots.map { shot in
                _ = try locator.recognize(shot.frame)
                return try measureMS { _ = try locator.locate(TextQuery(first), in: shot.changed, windows: []) }
            }
        })
        let cli = Contender(name: "tesseract CLI, full screen", isDeskpilot: false, runBatch: {
            var cliEnv = env
            cliEnv["OMP_THREAD_LIMIT"] = "1"
            return try shots.enumerated().map { i, shot in
                let base = "\(tmp)/tesseract-\(i)"
                let ms = try CommandTimer.time(["tesseract", shot.png, base], environment: cliEnv)
                if !cliChecked, let text = try? String(contentsOfFile: base + ".txt", encoding: .utf8) {
                    cliHits += shot.targets.filter { text.contains($0.text) }.count
                    if i == shots.count - 1 { cliChecked = true }
                }
                return ms
            }
        }, correctness: { "output contains \(cliHits)/\(total) labels" })
        var table = BenchTable.measure(
            title: title,
            note: "\(shots.count) labelled 1920x1080 screens, \(total) labels in \(title.hasPrefix("Text grounding: small") ? "8-12" : "9-16") px core fonts; per screen, "
                + "time to answer one locate (deskpilot) or to OCR the whole screenshot (tesseract). "
                + "'first pass only' is the same locator without the second reading of small regions shaped like the query (SecondReading). "
                + "Models loaded once beforehand (\(Int(load)) ms with the first OCR).",
            rounds: rounds, contenders: [cold, coldFirst, warm, change, missCold, missWarm, cli])
        if XvfbSession.findExecutable("tesseract") == nil, let i = table.rows.firstIndex(where: { $0.name.hasPrefix("tesseract") }) {
            table.rows[i].error = "tesseract is not installed (Debian package tesseract-ocr)"
        }
        return table
    }
}
