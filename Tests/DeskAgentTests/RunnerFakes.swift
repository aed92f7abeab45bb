import DeskAgent
import DeskCore
import DeskTestSupport
import Foundation
import Synchronization

/// Runs commands with Foundation's `Process` (the executable uses DeskX11's ChildProcess).
final class ProcessLauncherForTests: ProcessLauncher, Sendable {
    private let startedCommands = Mutex<[[String]]>([])
    var started: [[String]] { startedCommands.withLock { $0 } }

    func start(_ argv: [String], directory: String) throws -> any LaunchedProcess {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = argv
        p.currentDirectoryURL = URL(fileURLWithPath: directory)
        try p.run()
        startedCommands.withLock { $0.append(argv) }
        return TestProcess(process: p, argv: argv)
    }

    func run(_ argv: [String], directory: String, timeout: Double) throws -> ProcessResult {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = argv
        p.currentDirectoryURL = URL(fileURLWithPath: directory)
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let end = Date().addingTimeInterval(timeout)
        while p.isRunning && Date() < end { usleep(2_000) }
        if p.isRunning {
            p.terminate()
            p.waitUntilExit()
            return ProcessResult(status: nil, stdout: "", stderr: "")
        }
        let o = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let e = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return ProcessResult(status: p.terminationStatus, stdout: o, stderr: e)
    }
}

final class TestProcess: LaunchedProcess, Sendable {
    let process: Process
    let argv: [String]
    init(process: Process, argv: [String]) {
        self.process = process
        self.argv = argv
    }
    func poll() -> Int32? { process.isRunning ? nil : process.terminationStatus }
    func terminate() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

/// A fresh temporary folder for one test (removed with the test process's ``TestFolders/parent``).
func temporaryFolder() throws -> String {
    try TestFolders.make("agent")
}
