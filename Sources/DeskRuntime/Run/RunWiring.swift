import DeskAgent
import DeskConfig
import DeskCore
import DeskModels
import DeskX11
import Foundation
import Synchronization

/// What `agent` and `run` share: the desktop adapters, the policy gate, settle, the trace, the output, and
/// the way a run ends (run_end, the final line, the exit status).
public final class RunWiring: Sendable {
    public let context: DisplayContext
    public let desktop: Desktop
    public let executor: ActionExecutor
    public let trace: RunTrace
    public let printer: LivePrinter
    public let redactor: Redactor
    /// The run's local text grounding (`text:` targets, text waits and checks, the `local` dialect).
    public let textFinder: any TextFinder
    public let policyName: String
    public let startedAt: Double
    let wallStart = Date()

    /// - Parameters:
    ///   - policy: the policy with every limit merged in.
    ///   - traceDir: the parent of the run folder; nil keeps no trace.
    ///   - textFinder: the run's text grounding (OCR lives in DeskRuntimeOCR, so the caller brings it).
    ///   - elementFinder: the accessibility tree for `element:` targets, waits and checks, when there is one.
    public init(context: DisplayContext, policy: Policy, policyName: String, secrets: [String], dryRun: Bool,
         autoApprove: Bool, traceDir: String?, printer: LivePrinter, textFinder: any TextFinder,
         elementFinder: (any ElementFinder)? = nil,
         settle: SettleOptions = .standard,
         environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        self.context = context
        self.printer = printer
        self.policyName = policyName
        startedAt = MonotonicClock.now()
        let display = context.display
        let performer = try X11InputPerformer(display: display)
        Cleanup.shared.register { performer.releaseAll() }
        // Safety watchers for the whole run: the kill hotkey, and a pause when a person takes over (never on
        // a private Xvfb, which no person can reach).
        // The hotkey also raises SIGTERM, whose watchdog forces exit 130 if the run is blocked (a prompt).
        let runGuard = RunGuard(displayName: display.name, killSwitch: policy.killSwitch,
                                pauseOnUserInput: policy.pauseOnUserInput && context.session == nil,
                                onKill: { kill(getpid(), SIGTERM) }) { line in
            FileHandle.standardError.write(Data("deskpilot: \(line)\n".utf8))
        }
        for warning in runGuard.warnings { FileHandle.standardError.write(Data("deskpilot: \(warning)\n".utf8)) }
        Cleanup.shared.register { runGuard.stop() }
        let codec = ImagingCodec()
        let watcher: (any ChangeWatcher)?
        do {
            watcher = try DamageChangeWatcher(displayName: display.name)
        } catch {
            // Without DAMAGE the settle logic compares frames instead: slower, still correct.
            watcher = nil
            FileHandle.standardError.write(Data("deskpilot: \(error); settling by comparing screenshots instead\n".utf8))
        }
        let screen = X11ScreenSource(display: display)
        self.textFinder = textFinder
        desktop = Desktop(screen: screen, performer: PausingPerformer(performer), windows: X11WindowLookup(display: display), codec: codec,
                          watcher: watcher, prompt: TerminalPrompt(),
                          launcher: ChildProcessLauncher(displayName: display.name, desktop: context.desktop, base: environment),
                          textFinder: textFinder, elementFinder: elementFinder)
        let redactor = policy.redactor(secrets: secrets)
        self.redactor = redactor
        printer.redacting(with: redactor)
        let gate = PolicyGate(policy: policy, windows: desktop.windows, prompt: desktop.prompt, autoApprove: autoApprove,
                              dryRun: dryRun, startedAt: startedAt)
        // Keys an earlier `act press` keeps down (adopted from its journal) are the run's held keys: judged
        // again now and before every action that moves the pointer or adds a modifier.
        gate.adoptKept(from: performer) { FileHandle.standardError.write(Data("deskpilot: \($0)\n".utf8)) }
        executor = ActionExecutor(desktop: desktop, gate: gate,
                                  settler: Settler(screen: screen, watcher: watcher, codec: codec, options: settle))
        if let traceDir {
            let recorder = try TraceRecorder(parent: traceDir, redactor: { redactor.redact($0) })
            trace = RunTrace(recorder: recorder, codec: codec)
        } else {
            trace = .none(codec: codec)
        }
    }

    /// Writes `run_start`.
    public func start(kind: RunKind, goal: String?, task: String?, options: ModelOptions?) throws {
        guard let recorder = trace.recorder else { return }
        try trace.record(.runStart(RunStartEvent(
            runID: recorder.runID.rawValue, time: wallStart, kind: kind, command: CommandLine.arguments, goal: goal,
            task: task, dialect: options?.dialect, model: options?.model, endpoint: options?.endpoint?.absoluteString,
            screen: desktop.screen.screenRect.size, policy: policyName, dryRun: executor.dryRun,
            deskpilotVersion: DeskpilotVersion.current, display: context.display.name)))
    }

    /// Ends the run: releases input, writes `run_end` and the trace's summary files, prints the final line,
    /// and returns the exit status of the CLI contract.
    public func finish(ending: RunEnding, reason: String, steps: Int, promptTokens: Int, completionTokens: Int) -> ExitStatus {
        desktop.performer.releaseAll()
        var ending = ending
        var reason = redactor.redact(reason)
        do {
            try trace.end(RunEndEvent(time: Date(), status: ending.runStatus, exitCode: ending.exitStatus.rawValue,
                                      reason: reason, steps: steps, durationS: MonotonicClock.now() - startedAt,
                                      promptTokens: promptTokens > 0 ? promptTokens : nil,
                                      completionTokens: completionTokens > 0 ? completionTokens : nil),
                          finalScreen: trace.recorder == nil ? nil : try? desktop.screen.capture())
        } catch {
            if ending == .finished {
                ending = .environmentError
                reason = "\(error)"
            }
            FileHandle.standardError.write(Data("deskpilot: \(error)\n".utf8))
        }
        printer.final(FinalLine(status: ending.rawValue, exitCode: ending.exitStatus.rawValue, reason: reason, steps: steps,
                                tokens: promptTokens + completionTokens, trace: trace.directory))
        return ending.exitStatus
    }

    /// A fresh private folder for the run's files, exported as `DESKPILOT_SCRATCH` to the task file's
    /// `${env:…}` references and to its commands, and removed when the command ends. A value already set in
    /// the environment is used as is (and kept).
    public static func scratchEnvironment() throws -> [String: String] {
        let environment = ProcessInfo.processInfo.environment
        if let given = environment[ScratchFolder.variable], !given.isEmpty { return environment }
        let scratch = try ScratchFolder.create(label: "run")
        Cleanup.shared.register { scratch.remove() }
        madeScratch.withLock { $0.append(scratch) }
        return scratch.environment(environment)
    }

    /// The scratch folders ``scratchEnvironment()`` made in this process.
    private static let madeScratch = Mutex<[ScratchFolder]>([])

    /// Has a private desktop's reaper remove the scratch folders this process made, so that even a killed
    /// run leaves none behind (``Cleanup`` removes them on every other way out).
    public static func handScratch(to desktop: DesktopSession?) {
        guard let desktop else { return }
        for scratch in madeScratch.withLock({ $0 }) { desktop.removeWhenEnded(scratch.path) }
    }

    /// Opens the display for a run: `--headless` starts a private desktop of the task's `screen` and `desktop`
    /// unless the command line says otherwise.
    public static func openDisplay(_ options: DisplayRequest, preferredScreen: Size?,
                                   preferredDesktop: DesktopChoice? = nil) throws -> DisplayContext {
        let context = try options.open(preferredScreen: preferredScreen, preferredDesktop: preferredDesktop)
        handScratch(to: context.desktop)
        return context
    }
}
