import Foundation
import Testing
import DeskTestSupport

/// Every error of the foundation commands gives one clear line and the exit code of the CLI contract.
@Suite(.ownThread) struct CLIErrorTests {
    @Test func versionPrintsAndSucceeds() throws {
        let r = try CLIRunner.run(["--version"])
        #expect(r.status == 0)
        #expect(r.stdoutText.split(separator: ".").count == 3)
    }

    @Test func noDisplayIsAnEnvironmentError() throws {
        let r = try CLIRunner.run(["info"], environment: ["DISPLAY": nil, "WAYLAND_DISPLAY": nil])
        #expect(r.status == 3)
        #expect(r.stderr.contains("DISPLAY is not set"))
        #expect(r.stderr.split(separator: "\n").count == 1)
    }

    @Test func waylandWithoutXwaylandSaysSo() throws {
        let r = try CLIRunner.run(["screenshot", "-o", "/tmp/x.png"],
                                  environment: ["DISPLAY": nil, "WAYLAND_DISPLAY": "wayland-0"])
        #expect(r.status == 3)
        #expect(r.stderr.contains("Wayland"))
    }

    @Test func unreachableDisplayIsAnEnvironmentError() throws {
        let r = try CLIRunner.run(["windows", "--display", ":4711"])
        #expect(r.status == 3)
        #expect(r.stderr.contains(":4711"))
    }

    @Test(arguments: [
        (["screenshot", "--headless", "--region", "1,2,3", "-o", "/tmp/x.png"], "--region"),
        (["screenshot", "--headless", "--region", "0,0,0,10", "-o", "/tmp/x.png"], "--region"),
        (["screenshot", "--headless", "--monitor", "-1", "-o", "/tmp/x.png"], "--monitor"),
        (["screenshot", "--headless", "--window", "0xZZ", "-o", "/tmp/x.png"], "--window"),
        (["info", "--headless", "--screen", "big"], "--screen"),
        (["info", "--display", ":1", "--headless"], "exclude"),
        (["screenshot", "--headless", "--monitor", "0", "--region", "0,0,5,5", "-o", "/tmp/x.png"], "exclude"),
    ])
    func badFlagsAreUsageErrors(arguments: [String], fragment: String) throws {
        let r = try CLIRunner.run(arguments)
        #expect(r.status == 2)
        #expect(r.stderr.contains(fragment))
    }

    @Test func regionOutsideTheScreenIsAnInputError() throws {
        let r = try CLIRunner.run(["screenshot", "--headless", "--screen", "640x480", "--region", "600,400,100,100",
                                   "-o", "/tmp/deskpilot-cli-region.png"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("not inside the 640x480 screen"))
    }

    @Test func missingMonitorIsAnInputError() throws {
        let r = try CLIRunner.run(["screenshot", "--headless", "--screen", "640x480", "--monitor", "2", "-o", "/tmp/x.png"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("monitor 2 does not exist"))
    }

    @Test func missingWindowIsAnError() throws {
        let r = try CLIRunner.run(["screenshot", "--headless", "--screen", "640x480", "--window", "0x7fffff01", "-o", "/tmp/x.png"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("0x7fffff01"))
    }

    @Test func unwritableOutputPathIsAnInputError() throws {
        let r = try CLIRunner.run(["screenshot", "--headless", "-o", "/nonexistent-dir/shot.png"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("/nonexistent-dir"))
    }
}
