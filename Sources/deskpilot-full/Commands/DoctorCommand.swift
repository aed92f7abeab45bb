import ArgumentParser
import DeskCLI
import DeskCore
import DeskModels
import DeskModelsURLSession
import DeskRuntime
import Foundation

/// `deskpilot doctor`: what a first run needs, one line per check with its fix.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check what a first run needs: display, extensions, layout, Xvfb, Tesseract data, accessibility bus, model.",
        discussion: """
            One line per check: ok, FAIL (required), warn or skip, what was found, and after → the fix (the \
            Debian package to install, the flag or variable to set). Required: the display (--display, else \
            $DISPLAY) with XTEST, and Xvfb with xkbcomp for --headless; the model endpoint too when one is \
            configured (one GET of its models list). Exit 0 when every required check passes, 3 otherwise.
            """)

    @Option(name: .long, help: "The X display to check (default: $DISPLAY).")
    var display: String?

    @OptionGroup var model: ModelFlags

    @Flag(name: .long, help: "One JSON object per check (snake_case keys), one per line.")
    var json = false

    func run() async throws {
        var options: ModelOptions?
        var problem: String?
        do { options = try model.resolve() } catch { problem = "\(error)" }
        let doctor = Doctor(display: display, environment: ProcessInfo.processInfo.environment, model: options,
                            modelProblem: problem, layout: InstallLayout.current)
        let checks = await doctor.run(transport: URLSessionTransport())
        if json {
            try JSONOutput.printLines(checks)
        } else {
            print(checks.map(\.line).joined(separator: "\n"))
        }
        if checks.contains(where: \.blocks) { throw ExitCode(ExitStatus.environment.rawValue) }
    }
}
