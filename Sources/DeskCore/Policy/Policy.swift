/// A safety policy: the rules every action passes before it reaches the input layer.
///
/// Built by DeskConfig's `PolicyLoader` from YAML (see `docs/policy-format.md`), judged by
/// ``PolicyEngine``. The compiled-in policies (`Policy.builtinDefault` …) live in DeskConfig because they
/// are parsed from the same YAML as the files.
public struct Policy: Sendable, Hashable, Codable {
    /// A short name for traces (`default`, `strict`); defaults to the file name.
    public var name: String
    /// What the policy is for, in a sentence.
    public var description: String?
    public var limits: PolicyLimits
    public var actions: ActionRules
    public var keys: KeyRules
    public var text: TextRules
    public var windows: WindowRules
    public var regions: RegionRules
    /// Rules whose match needs a person's yes; the first matching rule decides.
    public var confirm: [ConfirmRule]
    public var onViolation: ViolationMode
    /// Patterns redacted from typed text, model answers and logs in traces (secrets are always redacted).
    public var redact: [PolicyRegex]
    /// The global hotkey that stops the run (exit 130).
    public var killSwitch: KeyChord
    /// Pause the run while a person uses the keyboard or mouse.
    public var pauseOnUserInput: Bool

    /// The default kill switch, ctrl+alt+shift+escape: unlikely to be pressed by accident or by a model.
    public static let defaultKillSwitch = KeyChord(modifiers: [.controlL, .altL, .shiftL], key: .escape)

    public init(name: String, description: String? = nil, limits: PolicyLimits = PolicyLimits(),
                actions: ActionRules = ActionRules(), keys: KeyRules = KeyRules(), text: TextRules = TextRules(),
                windows: WindowRules = WindowRules(), regions: RegionRules = RegionRules(),
                confirm: [ConfirmRule] = [], onViolation: ViolationMode = .feedback, redact: [PolicyRegex] = [],
                killSwitch: KeyChord = Policy.defaultKillSwitch, pauseOnUserInput: Bool = false) {
        self.name = name
        self.description = description
        self.limits = limits
        self.actions = actions
        self.keys = keys
        self.text = text
        self.windows = windows
        self.regions = regions
        self.confirm = confirm
        self.onViolation = onViolation
        self.redact = redact
        self.killSwitch = killSwitch
        self.pauseOnUserInput = pauseOnUserInput
    }

    /// This policy with its limits merged with `limits` from the command line: the stricter wins.
    public func mergingLimits(_ limits: PolicyLimits) -> Policy {
        var copy = self
        copy.limits = self.limits.merged(with: limits)
        return copy
    }

    /// A redactor for this policy's patterns plus `secrets`.
    public func redactor(secrets: [String] = []) -> Redactor {
        Redactor(patterns: redact, secrets: secrets)
    }
}
