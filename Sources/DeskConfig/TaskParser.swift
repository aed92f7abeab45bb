import DeskCore
import Foundation

/// The walk over one task file's YAML tree; see ``TaskLoader``.
struct TaskParser {
    let directory: String
    let checkFiles: Bool
    private var references: TextReferences

    init(directory: String, environment: [String: String], checkFiles: Bool) {
        self.directory = directory
        self.checkFiles = checkFiles
        self.references = TextReferences(environment: environment)
    }

    static let stepKeys = ["click", "double_click", "triple_click", "right_click", "middle_click", "move", "drag",
                           "scroll", "key", "type", "focus", "wait", "wait_for", "goal"]
    static let checkKeys = ["file_exists", "file_contains", "file_matches", "file_equals", "command", "window",
                            "screen_contains", "element", "element_text", "all", "any", "not"]
    static let targetKeys = ["at", "in_window", "image", "text", "element"]

    mutating func task(_ root: YAMLNode, defaultName: String) throws(ConfigError) -> TaskFile {
        let map = try root.mapping("the task", allowed: [
            "name", "description", "goal", "screen", "desktop", "observe", "policy", "max_steps", "max_duration", "setup", "steps", "checks",
        ])
        var task = TaskFile(directory: directory, name: try map.optional("name")?.nonEmptyString("name") ?? defaultName)
        task.description = try map.optional("description")?.string("description")
        if let node = map.optional("goal") {
            task.goal = try references.resolve(node, "goal", allowSecrets: false).resolved
        }
        if let node = map.optional("screen") {
            let text = try node.string("screen")
            guard let size = Size(parsing: text) else {
                throw node.error("screen must be WIDTHxHEIGHT like 1280x800, found '\(text)'")
            }
            task.screen = size
        }
        if let node = map.optional("desktop") { task.desktop = try desktop(node) }
        if let node = map.optional("observe") {
            let text = try node.string("observe")
            guard let mode = ObservationMode(name: text) else {
                throw node.error("observe must be \(ObservationMode.names.joined(separator: ", ")), found '\(text)'")
            }
            task.observe = mode
        }
        if let node = map.optional("policy") { task.policy = try policy(node) }
        task.limits.maxSteps = try map.optional("max_steps")?.int("max_steps", in: 1...Int.max)
        if let node = map.optional("max_duration") {
            let seconds = try node.duration("max_duration")
            guard seconds > 0 else { throw node.error("max_duration must be longer than zero") }
            task.limits.maxDuration = seconds
        }
        if let node = map.optional("setup") {
            task.setup = try node.sequence("setup").enumerated().map { (index, item) throws(ConfigError) in
                try setupItem(item, what: "setup[\(index)]")
            }
        }
        if let node = map.optional("steps") {
            task.steps = try node.sequence("steps").enumerated().map { (index, item) throws(ConfigError) in
                try step(item, what: "steps[\(index)]")
            }
        }
        if let node = map.optional("checks") {
            task.checks = try node.sequence("checks").enumerated().map { (index, item) throws(ConfigError) in
                try check(item, what: "checks[\(index)]")
            }
        }
        guard task.goal != nil || !task.steps.isEmpty else {
            throw root.error("a task needs a 'goal' (for an agent) or 'steps' (a script), or both")
        }
        task.secrets = references.secrets
        return task
    }

    // MARK: - Paths and files

    /// `text` as an absolute path: `${env:…}` substituted, `~/` expanded, relative to the task folder.
    private mutating func path(_ node: YAMLNode, _ what: String) throws(ConfigError) -> String {
        let text = try references.resolve(try node.nonEmptyString(what), at: node, what, allowSecrets: false).resolved
        var expanded = text
        if expanded == "~" || expanded.hasPrefix("~/") {
            guard let home = references.environment["HOME"] else { throw node.error("\(what): '~' needs HOME to be set") }
            expanded = home + expanded.dropFirst()
        }
        let url = expanded.hasPrefix("/") ? URL(fileURLWithPath: expanded)
            : URL(fileURLWithPath: directory, isDirectory: true).appendingPathComponent(expanded)
        return url.standardizedFileURL.path
    }

    /// A path to a file that must exist when the task is loaded (images, fixtures).
    private mutating func existingFile(_ node: YAMLNode, _ what: String) throws(ConfigError) -> String {
        let resolved = try path(node, what)
        var isDirectory: ObjCBool = false
        if checkFiles, !(FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory) && !isDirectory.boolValue) {
            throw node.error("\(what): no such file \(resolved)")
        }
        return resolved
    }

    /// `desktop: openbox | bare | {wm: openbox | none, a11y: true | false}`.
    private func desktop(_ node: YAMLNode) throws(ConfigError) -> DesktopChoice {
        if node.isScalar {
            let text = try node.string("desktop")
            guard let choice = DesktopChoice(name: text) else {
                throw node.error("desktop must be \(DesktopChoice.names.joined(separator: " or ")) or {wm: openbox, a11y: true}, found '\(text)'")
            }
            return choice
        }
        let map = try node.mapping("desktop", allowed: ["wm", "a11y"])
        let wm = try map.optional("wm")?.choice("desktop.wm", DesktopChoice.WindowManager.allCases.map { ($0.rawValue, $0) })
        let a11y = try map.optional("a11y")?.bool("desktop.a11y")
        let windowManager = wm ?? .openbox
        return DesktopChoice(windowManager: windowManager, accessibility: a11y ?? (windowManager != .none))
    }

    /// The policy: a built-in name, or a file that must load without mistakes.
    private mutating func policy(_ node: YAMLNode) throws(ConfigError) -> String {
        let text = try node.nonEmptyString("policy")
        let resolved = try path(node, "policy")
        if PolicyLoader.builtinNames.contains(text), !FileManager.default.fileExists(atPath: resolved) { return text }
        if checkFiles {
            guard FileManager.default.fileExists(atPath: resolved) else {
                throw node.error("policy: no such file \(resolved) (built-in policies: \(PolicyLoader.builtinNames.joined(separator: ", ")))")
            }
            _ = try PolicyLoader.load(path: resolved)
        }
        return resolved
    }

    // MARK: - Commands, windows, targets

    private mutating func command(_ node: YAMLNode, _ what: String) throws(ConfigError) -> TaskCommand {
        if node.isSequence {
            let items = try node.sequence(what)
            guard !items.isEmpty else { throw node.error("\(what) must not be an empty list") }
            return .argv(try items.enumerated().map { (index, item) throws(ConfigError) in
                try references.resolve(item, "\(what)[\(index)]")
            })
        }
        guard node.isScalar else {
            throw node.error("\(what) must be a command: a list of arguments or a shell string, found \(node.kindName)")
        }
        return .shell(try references.resolve(try node.nonEmptyString(what), at: node, what))
    }

    private func window(_ node: YAMLNode, _ what: String, extraKeys: [String] = []) throws(ConfigError) -> (WindowMatcher, YAMLMapping) {
        try PolicyLoader.windowMatcher(node, what: what, allowName: true, extraKeys: extraKeys + ["reason", "dialog_of"])
    }

    /// A target, with `extraKeys` allowed beside it in the mapping form; `nil` only when `optional`.
    private mutating func target(_ node: YAMLNode, _ what: String, extraKeys: [String] = [],
                                 optional: Bool = false) throws(ConfigError) -> (Target?, YAMLMapping?) {
        if node.isSequence { return (.at(try node.point(what)), nil) }
        if node.isScalar { return (.text(try node.nonEmptyString(what)), nil) }
        let map = try node.mapping(what, allowed: Self.targetKeys + extraKeys)
        let given = map.keys.filter(Self.targetKeys.contains)
        if given.count > 1 {
            throw (map.keyNode(given[1]) ?? node).error("\(what) has more than one target (\(given.joined(separator: " and "))); give one of at, in_window, image, text, element")
        }
        guard let kind = given.first, let value = map.optional(kind) else {
            if optional { return (nil, map) }
            throw node.error("\(what) needs a target: at: [x, y], in_window: {class or name, at}, image: file.png, text: \"label\" or element: {role, name}")
        }
        switch kind {
        case "at":
            return (.at(try value.point("\(what).at")), map)
        case "in_window":
            let (matcher, windowMap) = try window(value, "\(what).in_window", extraKeys: ["at"])
            return (.inWindow(matcher, at: try windowMap.required("at").point("\(what).in_window.at")), map)
        case "image":
            return (.image(path: try existingFile(value, "\(what).image")), map)
        case "element":
            return (.element(try Self.element(value, "\(what).element")), map)
        default:
            return (.text(try value.nonEmptyString("\(what).text")), map)
        }
    }

    private mutating func requiredTarget(_ node: YAMLNode, _ what: String, extraKeys: [String] = []) throws(ConfigError) -> (Target, YAMLMapping?) {
        let (target, map) = try target(node, what, extraKeys: extraKeys)
        guard let target else { throw node.error("\(what) needs a target") }
        return (target, map)
    }

    private static let buttons = MouseButton.allCases.map { ($0.rawValue, $0) }
    private static let directions = ScrollDirection.allCases.map { ($0.rawValue, $0) }

    private mutating func waitCondition(_ node: YAMLNode, _ what: String, defaultTimeout: Double) throws(ConfigError) -> (WaitCondition, Double) {
        let map = try node.mapping(what, allowed: ["window", "screen_stable", "text", "element", "timeout"])
        let conditions = map.keys.filter { $0 != "timeout" }
        guard conditions.count == 1, let kind = conditions.first else {
            if conditions.isEmpty { throw node.error("\(what) needs one of window, screen_stable, text, element") }
            throw (map.keyNode(conditions[1]) ?? node).error("\(what) waits for one thing; found \(conditions.joined(separator: " and "))")
        }
        let timeout = try map.optional("timeout")?.duration("\(what).timeout") ?? defaultTimeout
        let value = try map.required(kind)
        switch kind {
        case "window":
            return (.window(try window(value, "\(what).window").0), timeout)
        case "screen_stable":
            return (.screenStable(quietSeconds: try value.duration("\(what).screen_stable")), timeout)
        case "element":
            return (.element(try Self.element(value, "\(what).element")), timeout)
        default:
            return (.text(try value.nonEmptyString("\(what).text")), timeout)
        }
    }

    static let elementKeys = ["role", "name", "states", "nth", "within", "near"]

    /// `{role: button, name: "=", states: [checked], nth: 2, within: galculator, near: "Total"}`: at least a
    /// role or a name.
    static func element(_ node: YAMLNode, _ what: String) throws(ConfigError) -> ElementQuery {
        let map = try node.mapping(what, allowed: elementKeys)
        let role = try map.optional("role")?.nonEmptyString("\(what).role")
        let name = try map.optional("name").map { (n) throws(ConfigError) in try n.string("\(what).name") }
        if role == nil && name == nil { throw node.error("\(what) needs a role, a name or both (element: {role: button, name: \"=\"})") }
        var states: [String] = []
        for (i, item) in (map.optional("states")?.listOrSingle() ?? []).enumerated() {
            let state = A11yStates.normalized(try item.nonEmptyString("\(what).states[\(i)]"))
            guard A11yStates.known.contains(state) else {
                throw item.error("\(what).states: unknown state '\(state)'; known: \(A11yStates.known.sorted().joined(separator: ", "))")
            }
            states.append(state)
        }
        return ElementQuery(role: role, name: name, states: states,
                            nth: try map.optional("nth")?.int("\(what).nth", in: 1...Int.max),
                            within: try map.optional("within")?.nonEmptyString("\(what).within"),
                            near: try map.optional("near")?.nonEmptyString("\(what).near"))
    }

    /// The single key of a one-key mapping (a step or a check), checked against `allowed`.
    private func singleKey(_ node: YAMLNode, _ what: String, allowed: [String], kind: String) throws(ConfigError) -> (String, YAMLNode, SourceLocation) {
        let map = try node.mapping(what, allowed: allowed)
        guard let first = map.entries.first else {
            throw node.error("\(what) is empty; write one \(kind) (\(allowed.joined(separator: ", ")))")
        }
        if map.entries.count > 1 {
            throw map.entries[1].keyNode.error("\(what) has more than one \(kind) ('\(first.key)' and '\(map.entries[1].key)'); start a new list item with '-'")
        }
        return (first.key, first.value, first.keyNode.location)
    }

    // MARK: - Setup

    private mutating func setupItem(_ node: YAMLNode, what: String) throws(ConfigError) -> SetupItem {
        if !node.isMapping {
            return SetupItem(.run(try command(node, what), background: false, timeout: SetupItem.defaultCommandTimeout),
                             source: node.location)
        }
        let map = try node.mapping(what, allowed: ["run", "launch", "background", "timeout", "wait_for", "focus"])
        let kinds = map.keys.filter { ["run", "launch", "wait_for", "focus"].contains($0) }
        guard kinds.count == 1, let kind = kinds.first else {
            if kinds.isEmpty { throw node.error("\(what) needs one of run, launch, wait_for, focus") }
            throw (map.keyNode(kinds[1]) ?? node).error("\(what) has both '\(kinds[0])' and '\(kinds[1])'; start a new list item with '-'")
        }
        for option in ["background", "timeout"] where map.has(option) && kind != "run" {
            throw (map.keyNode(option) ?? node).error("\(what): '\(option)' goes with 'run', not '\(kind)'")
        }
        let value = try map.required(kind)
        let source = map.keyNode(kind)?.location ?? node.location
        switch kind {
        case "run":
            return SetupItem(.run(try command(value, "\(what).run"),
                                  background: try map.optional("background")?.bool("\(what).background") ?? false,
                                  timeout: try map.optional("timeout")?.duration("\(what).timeout") ?? SetupItem.defaultCommandTimeout),
                             source: source)
        case "launch":
            return SetupItem(.run(try command(value, "\(what).launch"), background: true, timeout: SetupItem.defaultCommandTimeout),
                             source: source)
        case "wait_for":
            let (condition, timeout) = try waitCondition(value, "\(what).wait_for", defaultTimeout: TaskStep.defaultWaitTimeout)
            return SetupItem(.waitFor(condition, timeout: timeout), source: source)
        default:
            return SetupItem(.focus(try window(value, "\(what).focus").0), source: source)
        }
    }

    // MARK: - Steps

    private mutating func step(_ node: YAMLNode, what: String) throws(ConfigError) -> TaskStep {
        let (kind, value, source) = try singleKey(node, what, allowed: Self.stepKeys, kind: "action")
        let here = "\(what).\(kind)"
        switch kind {
        case "click", "double_click", "triple_click", "right_click", "middle_click":
            let defaults: [String: (MouseButton, Int)] = [
                "click": (.left, 1), "double_click": (.left, 2), "triple_click": (.left, 3),
                "right_click": (.right, 1), "middle_click": (.middle, 1),
            ]
            let extra = kind == "click" ? ["button", "count"] : []
            let (target, map) = try requiredTarget(value, here, extraKeys: extra)
            var (button, count) = defaults[kind] ?? (.left, 1)
            if let node = map?.optional("button") { button = try node.choice("\(here).button", Self.buttons) }
            if let node = map?.optional("count") { count = try node.int("\(here).count", in: 1...3) }
            return TaskStep(.click(target, button: button, count: count), source: source)
        case "move":
            return TaskStep(.move(try requiredTarget(value, here).0), source: source)
        case "drag":
            let map = try value.mapping(here, allowed: ["from", "to", "button"])
            let from = try requiredTarget(try map.required("from"), "\(here).from").0
            let to = try requiredTarget(try map.required("to"), "\(here).to").0
            let button = try map.optional("button")?.choice("\(here).button", Self.buttons) ?? .left
            return TaskStep(.drag(from: from, to: to, button: button), source: source)
        case "scroll":
            if value.isScalar {
                return TaskStep(.scroll(nil, direction: try value.choice(here, Self.directions), notches: 3), source: source)
            }
            let (target, map) = try target(value, here, extraKeys: ["direction", "amount"], optional: true)
            guard let map else { throw value.error("\(here) must be a direction (up, down, left, right) or a mapping with 'direction'") }
            let direction = try map.required("direction").choice("\(here).direction", Self.directions)
            let amount = try map.optional("amount")?.int("\(here).amount", in: 1...100) ?? 3
            return TaskStep(.scroll(target, direction: direction, notches: amount), source: source)
        case "key":
            return TaskStep(.key(try value.chord(here)), source: source)
        case "type":
            let text = try references.resolve(value, here)
            if let (position, scalar) = ControlCharacters.firstUntypable(in: text.resolved) {
                throw value.error("\(here): the text holds the control character \(ControlCharacters.describe(scalar)) at character \(position); only printable text, \\n and \\t are typed (press keys with a key step, like 'key: BackSpace')")
            }
            return TaskStep(.type(text), source: source)
        case "focus":
            return TaskStep(.focus(try window(value, here).0), source: source)
        case "wait":
            return TaskStep(.wait(seconds: try value.duration(here)), source: source)
        case "wait_for":
            let (condition, timeout) = try waitCondition(value, here, defaultTimeout: TaskStep.defaultWaitTimeout)
            return TaskStep(.waitFor(condition, timeout: timeout), source: source)
        default: // goal
            if value.isMapping {
                let map = try value.mapping(here, allowed: ["text", "max_steps"])
                let text = try references.resolve(try map.required("text"), "\(here).text", allowSecrets: false).resolved
                return TaskStep(.goal(text, maxSteps: try map.optional("max_steps")?.int("\(here).max_steps", in: 1...Int.max)),
                                source: source)
            }
            let text = try references.resolve(value, here, allowSecrets: false).resolved
            guard !text.isEmpty else { throw value.error("\(here) must not be empty") }
            return TaskStep(.goal(text, maxSteps: nil), source: source)
        }
    }

    // MARK: - Checks

    private mutating func check(_ node: YAMLNode, what: String) throws(ConfigError) -> Check {
        let (kind, value, source) = try singleKey(node, what, allowed: Self.checkKeys, kind: "check")
        let here = "\(what).\(kind)"
        switch kind {
        case "file_exists":
            return Check(.fileExists(path: try path(value, here)), source: source)
        case "file_contains":
            let map = try value.mapping(here, allowed: ["path", "text"])
            return Check(.fileContains(path: try path(try map.required("path"), "\(here).path"),
                                       text: try references.resolve(try map.required("text"), "\(here).text")),
                         source: source)
        case "file_matches":
            let map = try value.mapping(here, allowed: ["path", "regex"])
            return Check(.fileMatches(path: try path(try map.required("path"), "\(here).path"),
                                      regex: try map.required("regex").regex("\(here).regex", caseInsensitive: false)),
                         source: source)
        case "file_equals":
            let map = try value.mapping(here, allowed: ["path", "fixture"])
            return Check(.fileEquals(path: try path(try map.required("path"), "\(here).path"),
                                     fixture: try existingFile(try map.required("fixture"), "\(here).fixture")),
                         source: source)
        case "command":
            if !value.isMapping {
                return Check(.command(try command(value, here), exitStatus: 0, outputContains: nil, outputMatches: nil,
                                      timeout: Check.defaultCommandTimeout), source: source)
            }
            let map = try value.mapping(here, allowed: ["run", "exit_status", "output_contains", "output_matches", "timeout"])
            return Check(.command(try command(try map.required("run"), "\(here).run"),
                                  exitStatus: Int32(try map.optional("exit_status")?.int("\(here).exit_status", in: 0...255) ?? 0),
                                  outputContains: try map.optional("output_contains").map { (node) throws(ConfigError) in
                                      try references.resolve(node, "\(here).output_contains")
                                  },
                                  outputMatches: try map.optional("output_matches")?.regex("\(here).output_matches", caseInsensitive: false),
                                  timeout: try map.optional("timeout")?.duration("\(here).timeout") ?? Check.defaultCommandTimeout),
                         source: source)
        case "window":
            return Check(.window(try window(value, here).0), source: source)
        case "screen_contains":
            return Check(.screenText(try value.nonEmptyString(here)), source: source)
        case "element":
            return Check(.element(try Self.element(value, here)), source: source)
        case "element_text":
            let map = try value.mapping(here, allowed: ["element", "text", "regex"])
            let element = try Self.element(try map.required("element"), "\(here).element")
            let text = try map.optional("text").map { (node) throws(ConfigError) in try references.resolve(node, "\(here).text") }
            let regex = try map.optional("regex")?.regex("\(here).regex", caseInsensitive: false)
            if (text == nil) == (regex == nil) { throw value.error("\(here) needs one of text or regex beside element") }
            return Check(.elementText(element, text: text, regex: regex), source: source)
        case "all", "any":
            let items = try value.sequence(here)
            guard !items.isEmpty else { throw value.error("\(here) needs at least one check") }
            let checks = try items.enumerated().map { (index, item) throws(ConfigError) in
                try check(item, what: "\(here)[\(index)]")
            }
            return Check(kind == "all" ? .all(checks) : .any(checks), source: source)
        default: // not
            return Check(.not(try check(value, what: here)), source: source)
        }
    }
}
