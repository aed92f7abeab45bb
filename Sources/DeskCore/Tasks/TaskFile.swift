/// A task: what to set up, what to do (a goal for an agent and/or scripted steps) and how to check it.
///
/// Built by DeskConfig's `TaskLoader` (see `docs/task-format.md`). Every path is already absolute, resolved
/// against the task file's folder, and every `${env:…}`/`${secret:…}` reference is already substituted,
/// so nothing here reads the environment or the file system.
public struct TaskFile: Sendable, Hashable, Codable {
    /// The task file's absolute path, when it came from a file.
    public var path: String?
    /// The folder relative paths were resolved against; setup commands run there.
    public var directory: String
    public var name: String
    public var description: String?
    /// The instruction an agent gets (for `deskpilot run` with a model, and `eval`).
    public var goal: String?
    /// The screen size for `--headless`.
    public var screen: Size?
    /// What `--headless` starts around the Xvfb (`desktop:`); nil leaves the choice to the command line (bare).
    public var desktop: DesktopChoice?
    /// What a model sees at the task's goal steps (`observe:`); nil leaves it to `--observe` (screenshot).
    public var observe: ObservationMode?
    /// The policy file's absolute path; `nil` means the built-in default.
    public var policy: String?
    /// Caps from the task (merged with the policy's and the command line's; the stricter wins).
    public var limits: PolicyLimits
    public var setup: [SetupItem]
    public var steps: [TaskStep]
    public var checks: [Check]
    /// Values substituted from `${secret:NAME}`: hand them to ``Redactor``. Never encoded.
    public var secrets: [String]

    public init(path: String? = nil, directory: String, name: String, description: String? = nil,
                goal: String? = nil, screen: Size? = nil, policy: String? = nil, limits: PolicyLimits = PolicyLimits(),
                setup: [SetupItem] = [], steps: [TaskStep] = [], checks: [Check] = [], secrets: [String] = []) {
        self.path = path
        self.directory = directory
        self.name = name
        self.description = description
        self.goal = goal
        self.screen = screen
        self.policy = policy
        self.limits = limits
        self.setup = setup
        self.steps = steps
        self.checks = checks
        self.secrets = secrets
    }

    enum CodingKeys: String, CodingKey {
        case path, directory, name, description, goal, screen, desktop, observe, policy, limits, setup, steps, checks
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(path: try c.decodeIfPresent(String.self, forKey: .path),
                  directory: try c.decode(String.self, forKey: .directory),
                  name: try c.decode(String.self, forKey: .name),
                  description: try c.decodeIfPresent(String.self, forKey: .description),
                  goal: try c.decodeIfPresent(String.self, forKey: .goal),
                  screen: try c.decodeIfPresent(Size.self, forKey: .screen),
                  policy: try c.decodeIfPresent(String.self, forKey: .policy),
                  limits: try c.decodeIfPresent(PolicyLimits.self, forKey: .limits) ?? PolicyLimits(),
                  setup: try c.decodeIfPresent([SetupItem].self, forKey: .setup) ?? [],
                  steps: try c.decodeIfPresent([TaskStep].self, forKey: .steps) ?? [],
                  checks: try c.decodeIfPresent([Check].self, forKey: .checks) ?? [])
        desktop = try c.decodeIfPresent(DesktopChoice.self, forKey: .desktop)
        observe = try c.decodeIfPresent(ObservationMode.self, forKey: .observe)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(path, forKey: .path)
        try c.encode(directory, forKey: .directory)
        try c.encode(name, forKey: .name)
        try c.encodeIfPresent(description, forKey: .description)
        try c.encodeIfPresent(goal, forKey: .goal)
        try c.encodeIfPresent(screen, forKey: .screen)
        try c.encodeIfPresent(desktop, forKey: .desktop)
        try c.encodeIfPresent(observe, forKey: .observe)
        try c.encodeIfPresent(policy, forKey: .policy)
        try c.encode(limits, forKey: .limits)
        try c.encode(setup, forKey: .setup)
        try c.encode(steps, forKey: .steps)
        try c.encode(checks, forKey: .checks)
    }
}
