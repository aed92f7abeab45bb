import Foundation
import Testing
import DeskTestSupport

/// `deskpilot mcp` driven by the official MCP Python SDK (scripts/mcp-client-check.py, in the venv
/// scripts/mcp-client-check.sh caches under .build/mcp-venv): a second, independent client of the protocol.
@Suite(.enabled(if: DaemonBinary.hasDaemonCommands && PythonMCPClient.isInstalled,
                "needs the deskpilot binary and the MCP Python SDK (scripts/mcp-client-check.sh --setup-only: python3 and PyPI)"), .ownThread)
struct MCPPythonClientTests {
    @Test func theOfficialPythonClientSeesAnnotationsStructuredResultsProgressAndCancellation() async throws {
        let (status, out, err) = try await onThread { () throws -> (Int32, String, String) in
            let p = Process()
            p.executableURL = URL(fileURLWithPath: PythonMCPClient.script)
            p.arguments = [DaemonBinary.path]
            let stdout = Pipe(), stderr = Pipe()
            p.standardOutput = stdout
            p.standardError = stderr
            p.standardInput = FileHandle.nullDevice
            try p.run()
            let o = stdout.fileHandleForReading.readDataToEndOfFile()
            let e = stderr.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
        }
        #expect(status == 0, "\(out)\n\(err.suffix(2000))")
        #expect(out.contains("protocol 2025-11-25"), "\(out)")
        #expect(out.contains("ok   a cancelled run_task stops its job and frees the display"), "\(out)")
        #expect(!out.contains("FAIL"), "\(out)")
    }
}

/// The checker script and its venv.
enum PythonMCPClient {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path + "/scripts/mcp-client-check.sh"

    /// True once the venv with the SDK is there (made on first use when PyPI can be reached).
    static let isInstalled: Bool = {
        let setup = Process()
        setup.executableURL = URL(fileURLWithPath: script)
        setup.arguments = ["--setup-only"]
        setup.standardOutput = FileHandle.nullDevice
        setup.standardError = FileHandle.nullDevice
        guard (try? setup.run()) != nil else { return false }
        setup.waitUntilExit()
        return setup.terminationStatus == 0
    }()
}
