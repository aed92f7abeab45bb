import Foundation
import Testing
import DeskTestSupport

/// The foundation commands against a private Xvfb, and that no Xvfb outlives its command.
@Suite(.ownThread) struct CLIHeadlessTests {
    /// Width and height from a PNG's IHDR chunk.
    func pngSize(_ data: Data) -> (Int, Int)? {
        let bytes = [UInt8](data)
        guard bytes.count > 24, bytes[0..<8] == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] else { return nil }
        func be32(_ i: Int) -> Int { bytes[i..<i + 4].reduce(0) { $0 << 8 | Int($1) } }
        return (be32(16), be32(20))
    }

    @Test func screenshotToStdoutIsAPNGOfTheScreen() throws {
        let screen = CLIRunner.uniqueScreen()
        let r = try CLIRunner.run(["screenshot", "--headless", "--screen", screen, "-o", "-"])
        #expect(r.status == 0, "\(r.stderr)")
        let size = try #require(pngSize(r.stdout))
        #expect("\(size.0)x\(size.1)" == screen)
        #expect(CLIRunner.processes(containing: "\(screen)x24").isEmpty)
    }

    @Test func screenshotOfARegionHasTheRegionSize() throws {
        let path = NSTemporaryDirectory() + "deskpilot-region-\(UUID().uuidString).png"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try CLIRunner.run(["screenshot", "--headless", "--screen", "800x600", "--region", "10,20,300,200",
                                   "-o", path])
        #expect(r.status == 0, "\(r.stderr)")
        let data = try #require(FileManager.default.contents(atPath: path))
        let size = try #require(pngSize(data))
        #expect(size.0 == 300 && size.1 == 200)
    }

    @Test func infoJSONDescribesTheHeadlessScreen() throws {
        let screen = CLIRunner.uniqueScreen()
        let r = try CLIRunner.run(["info", "--headless", "--screen", screen, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: r.stdout) as? [String: Any])
        let size = try #require(object["screen"] as? [String: Int])
        #expect("\(size["width"] ?? 0)x\(size["height"] ?? 0)" == screen)
        let extensions = try #require(object["extensions"] as? [String: Bool])
        #expect(extensions["MIT-SHM"] == true && extensions["XTEST"] == true)
        #expect(object["capture_method"] as? String == "shm")
        #expect(!String(decoding: r.stdout, as: UTF8.self).dropLast().contains("\n"), "one line")
        let keyboard = try #require(object["keyboard"] as? [String: Any])
        #expect(keyboard["layout"] as? String == "us")
        #expect(CLIRunner.processes(containing: "\(screen)x24").isEmpty)
    }

    @Test func windowsOnAnEmptyServerIsEmpty() throws {
        let r = try CLIRunner.run(["windows", "--headless", "--screen", "640x480", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        // JSON Lines: one window per line, so no windows print nothing.
        #expect(r.stdout.isEmpty)
    }

    @Test func aFailingHeadlessCommandLeavesNoXvfb() throws {
        let screen = CLIRunner.uniqueScreen()
        let r = try CLIRunner.run(["screenshot", "--headless", "--screen", screen, "--monitor", "5", "-o", "/tmp/x.png"])
        #expect(r.status == 2)
        #expect(CLIRunner.processes(containing: "\(screen)x24").isEmpty)
    }
}
