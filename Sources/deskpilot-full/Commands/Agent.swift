import ArgumentParser
import DeskAgent
import DeskCLI
import DeskConfig
import DeskCore
import DeskGrounding
import DeskModels
import DeskModelsURLSession
import DeskRuntime
import DeskRuntimeOCR
import Foundation

/// `deskpilot agent GOAL`: a model drives the desktop until the goal is met, inside a policy.
struct Agent: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Let a vision-language model reach GOAL on the desktop: observe, ask, act, settle, repeat.",
        discussion: """
            Ends with exit 0 when the model says the goal is done; 1 when it gives up or says the goal is \
            infeasible, or a limit (steps, duration, tokens), repeated actions without progress or unparsable \
            answers end it; 4 when the policy stops it; 5 when the model asks for a person and no terminal can \
            answer; 130 on Ctrl-C or SIGTERM. Every step is written to <trace-dir>/<run-id>/.

            --provider anthropic and --provider openai-responses use the vendor's own computer tool (no dialect): \
            screenshots go at the size the model works best at and coordinates are mapped back exactly. A \
            provider's pending safety checks need a person: the terminal prompt, the daemon's confirm, or \
            --acknowledge-safety-checks; --yes never acknowledges them, and without a person the run ends (exit 4).

            --dialect local needs no endpoint and no model: it reads GOAL as steps ("click Save, then type \
            'hello world' into Name and press ctrl+s"; also scroll, drag, wait for TEXT, wait 2s) and finds \
            each target on the screen by OCR, offline; a goal it cannot read is a usage error (exit 2).
            """)

    @Argument(help: "What to do, in plain words.")
    var goal: String

    @OptionGroup var displayOptions: DisplayOptions
    @OptionGroup var model: ModelFlags

    @Option(name: .long, help: "Most model steps (default 50).")
    var maxSteps: Int = 50

    @Option(name: .long, help: "Longest run, e.g. 90s or 10m.")
    var maxDuration: String?

    @Option(name: .long, help: "Most tokens (prompt + completion, as the server reports them).")
    var budgetTokens: Int?

    @Option(name: .long, help: "Screenshots of the history to send, the current one included (default: the dialect's).")
    var history: Int?

    @Option(name: .long, help: "Spend at most this many image tokens on screenshots; older ones are sent smaller, then dropped.")
    var imageBudget: Int?

    @Option(name: .long, help: "Policy file, or default, strict, permissive (default: default).")
    var policy: String?

    @Option(name: .long, help: "Parent folder of the run's trace folder (default ./traces).")
    var traceDir: String = "./traces"

    @Flag(name: .long, help: "Judge and record every action, inject none.")
    var dryRun = false

    @Option(name: .long, help: ArgumentHelp(
        "What the model is shown: screenshot, a11y (the accessibility tree as text, no screenshot), screenshot+a11y, or som (numbered marks; the model may answer with mark numbers).",
        valueName: "mode"))
    var observe = "screenshot"

    @Flag(name: [.short, .long], help: "Print only the final line.")
    var quiet = false

    @Flag(name: .long, help: "Print steps and the result as JSON lines.")
    var json = false

    @Flag(name: .long, help: "Approve the policy's confirmation gates without asking (needed without a terminal).")
    var yes = false

    @Flag(name: .long, help: "Acknowledge the provider's pending safety checks as the person running this (never implied by --yes).")
    var acknowledgeSafetyChecks = false

    func validate() throws {
        if maxSteps < 1 { throw ValidationError("--max-steps must be at least 1") }
        if let maxDuration, DurationText.seconds(maxDuration).map({ $0 > 0 }) != true {
            throw ValidationError("--max-duration wants a duration such as 90s or 10m (got '\(maxDuration)')")
        }
        if let budgetTokens, budgetTokens < 1 { throw ValidationError("--budget-tokens must be at least 1") }
        if let history, history < 1 { throw ValidationError("--history must be at least 1") }
        if let imageBudget, imageBudget < 1 { throw ValidationError("--image-budget must be at least 1") }
        if history != nil && imageBudget != nil { throw ValidationError("--history and --image-budget exclude each other") }
        if quiet && json { throw ValidationError("-q and --json exclude each other") }
        if goal.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw ValidationError("GOAL must not be empty") }
        if ObservationMode(name: observe) == nil {
            throw ValidationError("--observe wants \(ObservationMode.names.joined(separator: ", ")) (got '\(observe)')")
        }
    }

    func run() async throws {
        let options = try model.resolve()
        if !options.wire.usesDialect { return try await runTool(options: options) }
        let dialect = try DialectRegistry.named(options.dialect)
        // The local dialect reads the goal before anything starts, so a goal it cannot read costs no display.
        let client = dialect.needsEndpoint ? try ModelClient(options: options) : nil
        if !dialect.needsEndpoint { _ = try LocalPlan.parse(goal) }
        let (wiring, printer, textFinder) = try openRun()
        try wiring.start(kind: .agent, goal: goal, task: nil, options: dialect.needsEndpoint ? options : ModelOptions(dialect: dialect.name))

        var rule: HistoryPlanner.Rule?
        if let history { rule = .lastN(history) }
        if let imageBudget { rule = .tokenBudget(imageBudget, maxImages: nil) }
        let configuration = AgentConfiguration(maxSteps: maxSteps, maxDuration: maxDuration.flatMap(DurationText.seconds),
                                               budgetTokens: budgetTokens, historyRule: rule)
        let loop: AgentLoop
        if let client {
            let enrichers = try ObservationEnrichers.make(ObservationMode(name: observe) ?? .screenshot, grounder: textFinder)
            loop = AgentLoop(configuration: configuration, dialect: dialect, client: client, executor: wiring.executor,
                             trace: wiring.trace, reporter: printer, redactor: wiring.redactor, enrichers: enrichers)
        } else {
            loop = AgentLoop(configuration: configuration, dialect: dialect,
                             planner: LocalPlanner.factory(finder: textFinder), executor: wiring.executor,
                             trace: wiring.trace, reporter: printer, redactor: wiring.redactor)
        }
        try await finish(loop, wiring: wiring)
    }

    /// A run through a provider with its own computer tool (anthropic, openai-responses).
    func runTool(options: ModelOptions) async throws {
        let goal = self.goal
        let session = try options.wire.session(options: options, goal: goal, keepImages: history ?? 3)
        let (wiring, printer, textFinder) = try openRun()
        let enrichers = try ObservationEnrichers.make(ObservationMode(name: observe) ?? .screenshot, grounder: textFinder)
        var traced = options
        traced.dialect = options.provider + (options.toolVersion.map { "/" + $0 } ?? "")
        try wiring.start(kind: .agent, goal: goal, task: nil, options: traced)
        let configuration = AgentConfiguration(maxSteps: maxSteps, maxDuration: maxDuration.flatMap(DurationText.seconds),
                                               budgetTokens: budgetTokens)
        let executor = wiring.executor, trace = wiring.trace, redactor = wiring.redactor
        let safety = SafetyCheckGate(acknowledgeByFlag: acknowledgeSafetyChecks, prompt: executor.desktop.prompt)
        let loop = AgentLoop(configuration: configuration, decider: { _ in
            ToolDecider(session: session, codec: executor.desktop.codec, trace: trace, redactor: redactor, safety: safety,
                        windows: executor.desktop.windows)
        }, executor: executor, trace: trace, reporter: printer, redactor: redactor, enrichers: enrichers)
        try await finish(loop, wiring: wiring)
    }

    /// The policy, the display (registered as this run's), the printer, the grounder and the trace wiring
    /// every agent run opens, whichever way it decides.
    private func openRun() throws -> (RunWiring, LivePrinter, FusedGrounder) {
        let basePolicy = try PolicyLoader.load(nameOrPath: policy ?? "default")
        let context = try RunWiring.openDisplay(displayOptions.request, preferredScreen: nil)
        RunRegistrationScope.register(kind: .agent, display: context.display.name, summary: goal)
        let printer = LivePrinter(mode: quiet ? .quiet : json ? .json : .lines)
        let textFinder = A11yAccess.runGrounder(context)
        let wiring = try RunWiring(context: context, policy: basePolicy, policyName: policy ?? "default", secrets: [],
                                   dryRun: dryRun, autoApprove: yes, traceDir: traceDir, printer: printer,
                                   textFinder: textFinder, elementFinder: textFinder.hasTree ? textFinder : nil)
        return (wiring, printer, textFinder)
    }

    /// Runs `loop` to its end, finishes the trace and exits with the run's status.
    private func finish(_ loop: AgentLoop, wiring: RunWiring) async throws {
        let goal = self.goal
        let startedAt = wiring.startedAt
        let outcome = await loop.run(goal: goal, startedAt: startedAt)
        let status = wiring.finish(ending: outcome.ending, reason: outcome.reason, steps: outcome.steps,
                                   promptTokens: outcome.promptTokens, completionTokens: outcome.completionTokens)
        if status != .success { throw ExitCode(status.rawValue) }
    }
}
