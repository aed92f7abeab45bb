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

/// `deskpilot run TASK.yaml`: a scripted task (setup, steps, checks), optionally with agent sub-goals.
struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a task file: setup, scripted steps (and goal steps for a model), then checks.",
        discussion: """
            Exit 0 when every check passes; 1 when a check or step fails (the failing one is named); 2 for a \
            mistake in the task or policy file (file:line:column); 4 when the policy stops the run; 130 on \
            Ctrl-C or SIGTERM. With --headless the task's 'screen:' sizes the private Xvfb. The task and its \
            commands see DESKPILOT_SCRATCH, a private folder for the run's files (removed at the end), and \
            find deskpilot-fixture next to the deskpilot binary.
            """)

    @Argument(help: "The task file (YAML).")
    var task: String

    @OptionGroup var displayOptions: DisplayOptions
    @OptionGroup var model: ModelFlags

    @Option(name: .long, help: "Policy file, or default, strict, permissive (default: the task's, else default).")
    var policy: String?

    @Option(name: .long, help: "Parent folder of the run's trace folder (default ./traces).")
    var traceDir: String = "./traces"

    @Flag(name: .long, help: "Judge and record every action, inject none (checks still run).")
    var dryRun = false

    @Flag(name: .long, help: "Hand the task's top-level goal to the agent instead of running its steps.")
    var agent = false

    @Option(name: .long, help: "Most model steps for each goal (default 50).")
    var maxSteps: Int = 50

    @Option(name: .long, help: ArgumentHelp(
        "What the model sees at goal steps: screenshot, a11y, screenshot+a11y or som (default: the task's observe:, else screenshot).",
        valueName: "mode"))
    var observe: String?

    @Flag(name: [.short, .long], help: "Print only the final line.")
    var quiet = false

    @Flag(name: .long, help: "Print steps and the result as JSON lines.")
    var json = false

    @Flag(name: .long, help: "Approve the policy's confirmation gates without asking.")
    var yes = false

    func validate() throws {
        if let observe, ObservationMode(name: observe) == nil {
            throw ValidationError("--observe wants \(ObservationMode.names.joined(separator: ", ")) (got '\(observe)')")
        }
        if maxSteps < 1 { throw ValidationError("--max-steps must be at least 1") }
        if quiet && json { throw ValidationError("-q and --json exclude each other") }
    }

    func run() async throws {
        let environment = try RunWiring.scratchEnvironment()
        let taskFile = try TaskLoader.load(path: task, environment: environment)
        let options = try model.resolve()
        // `--dialect local` plays the model for goal steps offline: it needs no endpoint.
        let isLocal = options.dialect.trimmingCharacters(in: .whitespaces).lowercased() == Dialect.local.name
        let hasModel = options.endpoint != nil || isLocal
        try TaskValidator.validate(taskFile, hasModel: hasModel, useAgent: agent, canFindText: true, canFindElements: true)
        if isLocal {
            // Every goal the local planner will get must read as steps, before anything starts (exit 2).
            try TaskValidator.checkGoals(of: taskFile, useAgent: agent) { _ = try LocalPlan.parse($0) }
        }
        // --policy is the floor; the task's own policy only tightens it (and is the policy without one).
        var policyRef = policy ?? taskFile.policy ?? "default"
        var loadedPolicy = try PolicyLoader.load(nameOrPath: policyRef)
        if policy != nil, let own = taskFile.policy, own != policy {
            loadedPolicy = loadedPolicy.intersected(with: try PolicyLoader.load(nameOrPath: own))
            policyRef = loadedPolicy.name
        }
        let basePolicy = loadedPolicy.mergingLimits(taskFile.limits)

        var loopParts: (Dialect, ModelClient)?
        if hasModel && !isLocal {
            guard options.wire.usesDialect else {
                throw InputError("--provider \(options.provider) drives `deskpilot agent GOAL`; task goal steps use --provider openai-chat with a dialect")
            }
            loopParts = (try DialectRegistry.named(options.dialect), try ModelClient(options: options))
        }
        let context = try RunWiring.openDisplay(displayOptions.request, preferredScreen: taskFile.screen,
                                                preferredDesktop: taskFile.desktop)
        RunRegistrationScope.register(kind: .task, display: context.display.name, summary: taskFile.path ?? task)
        let printer = LivePrinter(mode: quiet ? .quiet : json ? .json : .lines)
        let textFinder = A11yAccess.runGrounder(context)
        let wiring = try RunWiring(context: context, policy: basePolicy, policyName: policyRef, secrets: taskFile.secrets,
                                   dryRun: dryRun, autoApprove: yes, traceDir: traceDir, printer: printer, textFinder: textFinder,
                                   elementFinder: textFinder.hasTree ? textFinder : nil,
                                   environment: environment)
        try wiring.start(kind: .task, goal: taskFile.goal, task: taskFile.path ?? task,
                         options: isLocal ? ModelOptions(dialect: Dialect.local.name) : hasModel ? options : nil)

        var loop: AgentLoop?
        let configuration = AgentConfiguration(maxSteps: taskFile.limits.maxSteps.map { min($0, maxSteps) } ?? maxSteps,
                                               maxDuration: taskFile.limits.maxDuration)
        if isLocal {
            loop = AgentLoop(configuration: configuration, planner: LocalPlanner.factory(finder: textFinder),
                             executor: wiring.executor, trace: wiring.trace, reporter: printer, redactor: wiring.redactor)
        } else if let (dialect, client) = loopParts {
            let mode = observe.flatMap { ObservationMode(name: $0) } ?? taskFile.observe ?? .screenshot
            loop = AgentLoop(configuration: configuration, dialect: dialect, client: client, executor: wiring.executor,
                             trace: wiring.trace, reporter: printer, redactor: wiring.redactor,
                             enrichers: try ObservationEnrichers.make(mode, grounder: textFinder))
        }
        let runner = TaskRunner(task: taskFile, executor: wiring.executor, trace: wiring.trace, reporter: printer,
                                agent: loop, options: TaskRunner.Options(useAgent: agent))
        let startedAt = wiring.startedAt
        let outcome = await runner.run(startedAt: startedAt)
        let status = wiring.finish(ending: outcome.ending, reason: outcome.reason, steps: outcome.steps,
                                   promptTokens: outcome.promptTokens, completionTokens: outcome.completionTokens)
        if status != .success { throw ExitCode(status.rawValue) }
    }
}
