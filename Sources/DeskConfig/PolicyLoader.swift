import DeskCore
import Foundation

/// Reads policy files (YAML, see `docs/policy-format.md`) into ``Policy`` values.
///
/// Every mistake — unknown key, wrong type, bad regex, bad chord — fails the whole load with
/// `file:line:column: what is wrong`, so a run never starts with a half-read policy.
public enum PolicyLoader {
    /// The names of the compiled-in policies, usable wherever a policy file is expected.
    public static let builtinNames = ["default", "strict", "permissive"]

    /// Loads the policy file at `path`.
    public static func load(path: String) throws(ConfigError) -> Policy {
        let text = try SourceText.read(path: path, what: "the policy file")
        let base = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        return try parse(yaml: text, file: path, defaultName: base)
    }

    /// Loads `reference` as a compiled-in policy name (`default`, `strict`, `permissive`) or a file path.
    public static func load(nameOrPath reference: String) throws(ConfigError) -> Policy {
        if builtinNames.contains(reference), !FileManager.default.fileExists(atPath: reference) {
            return try builtin(named: reference)
        }
        return try load(path: reference)
    }

    /// The compiled-in policy called `name`.
    public static func builtin(named name: String) throws(ConfigError) -> Policy {
        try builtin(named: name, chain: [])
    }

    private static func builtin(named name: String, chain: [String]) throws(ConfigError) -> Policy {
        guard let yaml = BuiltinPolicies.yaml[name] else {
            throw ConfigError(file: name, location: nil,
                              message: "no built-in policy named '\(name)' (built-in: \(builtinNames.joined(separator: ", ")))")
        }
        // Its patterns compile (BuiltinPolicyTests parse every built-in the strict way): compiled at first use.
        return try parse(yaml: yaml, file: "<built-in \(name).yaml>", defaultName: name, chain: chain, patternsKnown: true)
    }

    /// How many policies one `extends:` chain may hold (the file itself included).
    public static let maxExtendsDepth = 8

    /// Parses policy YAML; `file` names it in errors, `defaultName` is used when it has no `name:`.
    /// `extends:` names a built-in policy or a file (relative to `file`'s folder).
    public static func parse(yaml: String, file: String, defaultName: String = "policy") throws(ConfigError) -> Policy {
        try parse(yaml: yaml, file: file, defaultName: defaultName, chain: [])
    }

    /// `chain` holds the policies that extend this one, outermost first, to refuse cycles and deep chains;
    /// `patternsKnown` (the built-in policies only) leaves their regular expressions to be compiled at first use.
    private static func parse(yaml: String, file: String, defaultName: String, chain: [String],
                              patternsKnown: Bool = false) throws(ConfigError) -> Policy {
        let root = try YAMLNode.root(yaml: yaml, file: file, patternsKnown: patternsKnown)
        let map = try root.mapping("the policy", allowed: [
            "name", "description", "extends", "limits", "actions", "keys", "text", "windows", "regions", "confirm",
            "on_violation", "redact", "kill_switch", "pause_on_user_input",
        ])
        let parent = try map.optional("extends").map { (node) throws(ConfigError) in
            try extended(node, from: file, chain: chain + [identity(of: file)])
        }
        let own = try ownRules(map, defaultName: defaultName)
        guard let parent else { return own }
        // A child adds rules and tightens limits; intersecting keeps everything the parent denies.
        var policy = parent.intersected(with: own)
        policy.name = own.name
        policy.description = own.description ?? parent.description
        policy.killSwitch = map.optional("kill_switch") == nil ? parent.killSwitch : own.killSwitch
        return policy
    }

    /// A policy's name in an `extends:` chain: the built-in's marker, or the file's standardized path.
    private static func identity(of file: String) -> String {
        file.hasPrefix("<built-in ") ? file : (file as NSString).standardizingPath
    }

    /// The policy an `extends:` value names: a built-in name, or a path relative to the extending file.
    private static func extended(_ node: YAMLNode, from file: String, chain: [String]) throws(ConfigError) -> Policy {
        let reference = try node.nonEmptyString("extends")
        let builtinFile = file.hasPrefix("<built-in ")
        var path = reference
        if !builtinFile, !reference.hasPrefix("/") {
            path = ((file as NSString).deletingLastPathComponent as NSString).appendingPathComponent(reference)
        }
        let isBuiltin = builtinNames.contains(reference) && (builtinFile || !FileManager.default.fileExists(atPath: path))
        let target = isBuiltin ? "<built-in \(reference).yaml>" : identity(of: path)
        if let first = chain.firstIndex(of: target) {
            let loop = (chain[first...] + [target]).joined(separator: " -> ")
            throw node.error("extends makes a loop: \(loop)")
        }
        guard chain.count < maxExtendsDepth else {
            throw node.error("extends goes more than \(maxExtendsDepth) policies deep")
        }
        if isBuiltin { return try builtin(named: reference, chain: chain) }
        guard !builtinFile else {
            throw node.error("a built-in policy can only extend another built-in (\(builtinNames.joined(separator: ", "))), not '\(reference)'")
        }
        guard FileManager.default.fileExists(atPath: path) else {
            throw node.error("extends names '\(reference)', which is neither a built-in policy (\(builtinNames.joined(separator: ", "))) nor a file (looked for \(path))")
        }
        let text = try SourceText.read(path: path, what: "the policy file")
        let base = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        return try parse(yaml: text, file: path, defaultName: base, chain: chain)
    }

    /// The rules a policy file writes itself, before what it extends is joined in.
    private static func ownRules(_ map: YAMLMapping, defaultName: String) throws(ConfigError) -> Policy {
        var policy = Policy(name: try map.optional("name")?.nonEmptyString("name") ?? defaultName)
        policy.description = try map.optional("description")?.string("description")
        if let node = map.optional("limits") { policy.limits = try limits(node) }
        if let node = map.optional("actions") { policy.actions = try actions(node) }
        if let node = map.optional("keys") { policy.keys = try keys(node) }
        if let node = map.optional("text") { policy.text = try text(node) }
        if let node = map.optional("windows") { policy.windows = try windows(node) }
        if let node = map.optional("regions") { policy.regions = try regions(node) }
        if let node = map.optional("confirm") {
            policy.confirm = try node.sequence("confirm").enumerated().map { (index, item) throws(ConfigError) in
                try confirmRule(item, what: "confirm[\(index)]")
            }
        }
        if let node = map.optional("on_violation") {
            policy.onViolation = try node.choice("on_violation", ViolationMode.allCases.map { ($0.rawValue, $0) })
        }
        if let node = map.optional("redact") {
            policy.redact = try node.sequence("redact").enumerated().map { (index, item) throws(ConfigError) in
                try item.regex("redact[\(index)]")
            }
        }
        if let node = map.optional("kill_switch") {
            let chord = try node.chord("kill_switch")
            guard chord.key != nil, !chord.modifiers.isEmpty else {
                throw node.error("kill_switch must be a key with at least one modifier (like ctrl+alt+shift+escape), found '\(chord)'")
            }
            policy.killSwitch = chord
        }
        if let node = map.optional("pause_on_user_input") {
            policy.pauseOnUserInput = try node.bool("pause_on_user_input")
        }
        return policy
    }

    // MARK: - Sections

    private static func limits(_ node: YAMLNode) throws(ConfigError) -> PolicyLimits {
        let map = try node.mapping("limits", allowed: ["max_steps", "max_duration", "max_actions_per_minute", "max_typed_characters"])
        var limits = PolicyLimits()
        limits.maxSteps = try map.optional("max_steps")?.int("max_steps", in: 1...Int.max)
        if let value = map.optional("max_duration") {
            let seconds = try value.duration("max_duration")
            guard seconds > 0 else { throw value.error("max_duration must be longer than zero") }
            limits.maxDuration = seconds
        }
        limits.maxActionsPerMinute = try map.optional("max_actions_per_minute")?.int("max_actions_per_minute", in: 1...Int.max)
        limits.maxTypedCharacters = try map.optional("max_typed_characters")?.int("max_typed_characters", in: 0...Int.max)
        return limits
    }

    /// Action kinds as policy files spell them.
    private static let kindChoices = ActionKind.allCases.map { ($0.rawValue, $0) }

    private static func kinds(_ node: YAMLNode, what: String) throws(ConfigError) -> [ActionKind] {
        try node.sequence(what).enumerated().map { (index, item) throws(ConfigError) in
            try item.choice("\(what)[\(index)]", kindChoices)
        }
    }

    private static func actions(_ node: YAMLNode) throws(ConfigError) -> ActionRules {
        let map = try node.mapping("actions", allowed: ["allow", "deny"])
        var rules = ActionRules()
        if let value = map.optional("allow") { rules.allow = try kinds(value, what: "actions.allow") }
        if let value = map.optional("deny") { rules.deny = try kinds(value, what: "actions.deny") }
        return rules
    }

    private static func chordPatterns(_ node: YAMLNode, what: String) throws(ConfigError) -> [KeyChordPattern] {
        try node.sequence(what).enumerated().map { (index, item) throws(ConfigError) in
            try item.chordPattern("\(what)[\(index)]")
        }
    }

    private static func keys(_ node: YAMLNode) throws(ConfigError) -> KeyRules {
        let map = try node.mapping("keys", allowed: ["allow", "deny"])
        var rules = KeyRules()
        if let value = map.optional("allow") { rules.allow = try chordPatterns(value, what: "keys.allow") }
        if let value = map.optional("deny") { rules.deny = try chordPatterns(value, what: "keys.deny") }
        return rules
    }

    private static func text(_ node: YAMLNode) throws(ConfigError) -> TextRules {
        let map = try node.mapping("text", allowed: ["deny", "stream_length"])
        var rules = TextRules()
        if let value = map.optional("stream_length") {
            rules.streamLength = try value.int("text.stream_length", in: 16...1_000_000)
        }
        if let value = map.optional("deny") {
            rules.deny = try value.sequence("text.deny").enumerated().map { (index, item) throws(ConfigError) in
                let what = "text.deny[\(index)]"
                if item.isMapping {
                    let entry = try item.mapping(what, allowed: ["pattern", "reason"])
                    return TextRule(pattern: try entry.required("pattern").regex("\(what).pattern"),
                                    reason: try entry.optional("reason")?.string("\(what).reason"))
                }
                return TextRule(pattern: try item.regex(what))
            }
        }
        return rules
    }

    /// A window matcher: `{class: regex, title: regex, reason: text}` with at least `class` or `title`.
    /// Task files also accept `name` for the title.
    static func windowMatcher(_ node: YAMLNode, what: String, allowName: Bool = false,
                              extraKeys: [String] = []) throws(ConfigError) -> (WindowMatcher, YAMLMapping) {
        var allowed = ["class", "title"] + extraKeys
        if allowName { allowed.append("name") }
        if !extraKeys.contains("reason") { allowed.append("reason") }
        let map = try node.mapping(what, allowed: allowed)
        if map.optional("name") != nil, map.optional("title") != nil {
            throw node.error("\(what) has both 'name' and 'title' (they are the same thing: the window title)")
        }
        let titleNode = map.optional("title") ?? map.optional("name")
        var matcher = WindowMatcher(className: try map.optional("class")?.regex("\(what).class"),
                                    title: try titleNode?.regex("\(what).title"),
                                    reason: extraKeys.contains("reason") ? nil : try map.optional("reason")?.string("\(what).reason"))
        // Task files: `dialog_of: {class: Mousepad}`, the window is a dialog (WM_TRANSIENT_FOR) of that one.
        if extraKeys.contains("dialog_of"), let parentNode = map.optional("dialog_of") {
            let parent = try windowMatcher(parentNode, what: "\(what).dialog_of", allowName: allowName).0
            matcher.dialogOfClass = parent.className
            matcher.dialogOfTitle = parent.title
        }
        guard matcher.className != nil || matcher.title != nil || matcher.namesParent else {
            throw node.error("\(what) needs 'class' or \(allowName ? "'name'" : "'title'") to say which window")
        }
        return (matcher, map)
    }

    private static func windowMatchers(_ node: YAMLNode, what: String) throws(ConfigError) -> [WindowMatcher] {
        try node.sequence(what).enumerated().map { (index, item) throws(ConfigError) in
            try windowMatcher(item, what: "\(what)[\(index)]").0
        }
    }

    private static func windows(_ node: YAMLNode) throws(ConfigError) -> WindowRules {
        let map = try node.mapping("windows", allowed: ["allow", "deny"])
        var rules = WindowRules()
        if let value = map.optional("allow") { rules.allow = try windowMatchers(value, what: "windows.allow") }
        if let value = map.optional("deny") { rules.deny = try windowMatchers(value, what: "windows.deny") }
        return rules
    }

    private static func rects(_ node: YAMLNode, what: String) throws(ConfigError) -> [Rect] {
        try node.sequence(what).enumerated().map { (index, item) throws(ConfigError) in
            try item.rect("\(what)[\(index)]")
        }
    }

    private static func regions(_ node: YAMLNode) throws(ConfigError) -> RegionRules {
        let map = try node.mapping("regions", allowed: ["allow", "deny"])
        var rules = RegionRules()
        if let value = map.optional("allow") { rules.allow = try rects(value, what: "regions.allow") }
        if let value = map.optional("deny") { rules.deny = try rects(value, what: "regions.deny") }
        return rules
    }

    private static func confirmRule(_ node: YAMLNode, what: String) throws(ConfigError) -> ConfirmRule {
        let map = try node.mapping(what, allowed: ["actions", "keys", "text", "windows", "regions", "reason"])
        let rule = ConfirmRule(
            actions: try map.optional("actions").map { (value) throws(ConfigError) in try kinds(value, what: "\(what).actions") },
            keys: try map.optional("keys").map { (value) throws(ConfigError) in try chordPatterns(value, what: "\(what).keys") },
            text: try map.optional("text")?.regex("\(what).text"),
            windows: try map.optional("windows").map { (value) throws(ConfigError) in try windowMatchers(value, what: "\(what).windows") },
            regions: try map.optional("regions").map { (value) throws(ConfigError) in try rects(value, what: "\(what).regions") },
            reason: try map.required("reason").nonEmptyString("\(what).reason"))
        guard rule.hasCondition else {
            throw node.error("\(what) needs at least one condition (actions, keys, text, windows or regions)")
        }
        return rule
    }
}
