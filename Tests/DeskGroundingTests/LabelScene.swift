import DeskCore
import DeskX11
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The ground truth `deskpilot-labels` writes: every target's text and box, the panels, and absent words.
struct LabelTruth: Decodable {
    struct Target: Decodable {
        var text: String
        var box: [Int]
        var kind: String
        var size: Int
        var font: String
        var scheme: String
        var panel: Int
        var rect: Rect { Rect(x: box[0], y: box[1], width: box[2], height: box[3]) }
    }
    struct Panel: Decodable {
        var id: String
        var instance: String
        var scheme: String
        var dense: Bool
        var rect: [Int]
        var frame: Rect { Rect(x: rect[0], y: rect[1], width: rect[2], height: rect[3]) }
    }
    var targets: [Target]
    var panels: [Panel]
    var absent: [String]
}

/// A running `deskpilot-labels` client on a test's Xvfb, with the truth it wrote.
final class LabelScene {
    let process: ChildProcess
    let truth: LabelTruth
    private let truthPath: String

    private init(process: ChildProcess, truth: LabelTruth, truthPath: String) {
        self.process = process
        self.truth = truth
        self.truthPath = truthPath
    }

    /// The folder of the built executables (the test runner sits next to them).
    static var binDirectory: URL { URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent() }

    /// Starts scene `scene` with `seed` and returns once it is drawn and its truth is written.
    static func start(scene: Int, seed: Int, on session: XvfbSession, geometry: String? = nil,
                      targets: Int? = nil) throws -> LabelScene {
        let tool = binDirectory.appendingPathComponent("deskpilot-labels").path
        guard FileManager.default.isExecutableFile(atPath: tool) else {
            throw EnvironmentError("deskpilot-labels is not built next to the tests (\(tool))")
        }
        let path = NSTemporaryDirectory() + "deskpilot-labels-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).json"
        var argv = [tool, "--scene", "\(scene)", "--seed", "\(seed)", "--out", path]
        if let geometry { argv += ["--geometry", geometry] }
        if let targets { argv += ["--targets", "\(targets)"] }
        let child = try ChildProcess.spawn(argv, environment: session.environment())
        let deadline = Date().addingTimeInterval(20)
        while !FileManager.default.fileExists(atPath: path) {
            if Date() > deadline || !child.isRunning {
                child.terminate(grace: 0.5)
                throw EnvironmentError("deskpilot-labels scene \(scene) did not draw within 20 s")
            }
            usleep(20_000)
        }
        let truth = try JSONDecoder().decode(LabelTruth.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        return LabelScene(process: child, truth: truth, truthPath: path)
    }

    func stop() {
        process.terminate(grace: 1)
        try? FileManager.default.removeItem(atPath: truthPath)
    }

    deinit { stop() }
}

/// A private Xvfb with a capturer, for one test.
final class GroundingDesktop {
    let session: XvfbSession
    let display: X11Display
    let capturer: ScreenCapturer

    init(screen: Size = Size(width: 1920, height: 1080)) throws {
        session = try XvfbSession.start(screen: screen)
        display = try X11Display(name: session.displayName)
        capturer = ScreenCapturer(display: display)
    }

    func capture() throws -> Frame { try capturer.capture(.root) }

    /// Top-level windows as the grounders take them, bottom to top.
    func windows() -> [WindowSummary] {
        display.windows().map {
            WindowSummary(id: $0.id, instance: $0.instance, className: $0.className, title: $0.title, rect: $0.rect)
        }
    }

    deinit { session.stop() }
}
