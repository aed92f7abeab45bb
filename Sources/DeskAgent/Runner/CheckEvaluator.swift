import DeskCore
import Foundation

/// Evaluates a task's `checks:` after its steps: files, commands, windows, text on the screen.
///
/// Files and windows are read fresh each time. A check that fails is tried again for a short grace period
/// (``grace``), because the last step's effect (a shell writing a file after Return, a window mapping) can
/// land a moment after the screen settled; a check under `not` is evaluated once, since waiting could only
/// turn a correct failure into a pass.
public struct CheckEvaluator: Sendable {
    public let desktop: Desktop
    /// Folder for relative command paths (the task's folder).
    public let directory: String
    /// Seconds a failing check is retried.
    public var grace: Double

    public init(desktop: Desktop, directory: String, grace: Double = 2.0) {
        self.desktop = desktop
        self.directory = directory
        self.grace = grace
    }

    /// Evaluates every check in order (all of them, so the report lists every failure).
    public func evaluate(_ checks: [Check]) throws(StoppedError) -> [CheckResult] {
        var results: [CheckResult] = []
        for check in checks {
            var result = evaluate(check)
            if !result.passed && !Self.containsNot(check) {
                let end = MonotonicClock.now() + grace
                while !result.passed && MonotonicClock.now() < end {
                    try StopFlag.current.check()
                    Settler.sleep(0.2)
                    result = evaluate(check)
                }
            }
            results.append(result)
        }
        return results
    }

    /// Evaluates one check once.
    public func evaluate(_ check: Check) -> CheckResult {
        var result = evaluateKind(check.kind)
        result.source = check.source
        return result
    }

    private func evaluateKind(_ kind: Check.Kind) -> CheckResult {
        let name = Self.name(kind)
        func pass(_ detail: String) -> CheckResult { CheckResult(name: name, passed: true, detail: detail) }
        func fail(_ detail: String) -> CheckResult { CheckResult(name: name, passed: false, detail: detail) }
        switch kind {
        case .fileExists(let path):
            return FileManager.default.fileExists(atPath: path) ? pass("exists") : fail("\(path) does not exist")
        case .fileContains(let path, let text):
            switch Self.readText(path) {
            case .failure(let why): return fail(why.description)
            case .success(let content):
                return content.contains(text.resolved) ? pass("found") : fail("\(path) does not contain \(Self.quote(text.description)); it holds \(Self.quote(Self.excerpt(content)))")
            }
        case .fileMatches(let path, let regex):
            switch Self.readText(path) {
            case .failure(let why): return fail(why.description)
            case .success(let content):
                return regex.matches(content) ? pass("matches") : fail("\(path) does not match /\(regex.pattern)/; it holds \(Self.quote(Self.excerpt(content)))")
            }
        case .fileEquals(let path, let fixture):
            guard let a = FileManager.default.contents(atPath: path) else { return fail("cannot read \(path)") }
            guard let b = FileManager.default.contents(atPath: fixture) else { return fail("cannot read the fixture \(fixture)") }
            if a == b { return pass("identical") }
            let firstDiff = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
            return fail("\(path) (\(a.count) bytes) differs from \(fixture) (\(b.count) bytes) from byte \(firstDiff)")
        case .command(let command, let expected, let contains, let matches, let timeout):
            guard let launcher = desktop.launcher else { return fail("no process launcher to run the command") }
            let result: ProcessResult
            do {
                result = try launcher.run(command.resolvedArguments, directory: directory, timeout: timeout)
            } catch {
                return fail("cannot run it: \(error)")
            }
            guard let status = result.status else { return fail("did not finish within \(timeout.formatted)s") }
            if status != expected {
                let err = result.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
                return fail("exited with \(status), expected \(expected)" + (err.isEmpty ? "" : "; stderr: \(Self.excerpt(err))"))
            }
            if let contains, !result.stdout.contains(contains.resolved) {
                return fail("its output does not contain \(Self.quote(contains.description)); it printed \(Self.quote(Self.excerpt(result.stdout)))")
            }
            if let matches, !matches.matches(result.stdout) {
                return fail("its output does not match /\(matches.pattern)/; it printed \(Self.quote(Self.excerpt(result.stdout)))")
            }
            return pass("exit \(status)")
        case .window(let matcher):
            let windows = desktop.windows.windows()
            if let w = TargetResolver.firstWindow(matching: matcher, in: windows) { return pass("found \(w)") }
            let listed = windows.map(\.description).joined(separator: "; ")
            return fail("no window matches; windows: " + (listed.isEmpty ? "(none)" : listed))
        case .screenText(let text):
            guard desktop.textFinder != nil else { return fail(TargetResolver.textUnavailable) }
            do {
                let frame = try desktop.screen.capture()
                if let found = try TargetResolver.findText(TextSearch(text), in: frame, desktop: desktop) {
                    return pass("found \(found)")
                }
                return fail("\(Self.quote(text)) is not on the screen" + TargetResolver.closestNote(text, desktop: desktop))
            } catch {
                return fail("cannot read the screen: \(error)")
            }
        case .element(let query):
            guard desktop.elementFinder != nil else { return fail(TargetResolver.elementsUnavailable) }
            do {
                let frame = try desktop.screen.capture()
                if let found = try TargetResolver.findElement(query, in: frame, desktop: desktop) {
                    return pass("found \(found)")
                }
                return fail(elementMissing(query, frame: frame))
            } catch {
                return fail("cannot read the accessibility tree: \(error)")
            }
        case .elementText(let query, let text, let regex):
            guard desktop.elementFinder != nil else { return fail(TargetResolver.elementsUnavailable) }
            do {
                let frame = try desktop.screen.capture()
                guard let found = try TargetResolver.findElement(query, in: frame, desktop: desktop) else {
                    return fail(elementMissing(query, frame: frame))
                }
                let content = Self.content(of: found.node)
                if let text {
                    return content.contains(text.resolved) ? pass("\(found) holds \(Self.quote(Self.excerpt(content)))")
                        : fail("\(found) holds \(Self.quote(Self.excerpt(content))), not \(Self.quote(text.description))")
                }
                if let regex {
                    return regex.matches(content) ? pass("\(found) holds \(Self.quote(Self.excerpt(content)))")
                        : fail("\(found) holds \(Self.quote(Self.excerpt(content))), which does not match /\(regex.pattern)/")
                }
                return fail("element_text needs text or regex")
            } catch {
                return fail("cannot read the accessibility tree: \(error)")
            }
        case .all(let list):
            let results = list.map { evaluateKind($0.kind) }
            if let bad = results.first(where: { !$0.passed }) { return fail("\(bad.name): \(bad.detail)") }
            return pass("all \(results.count) passed")
        case .any(let list):
            let results = list.map { evaluateKind($0.kind) }
            if results.contains(where: \.passed) { return pass("one passed") }
            return fail(results.map { "\($0.name): \($0.detail)" }.joined(separator: "; "))
        case .not(let inner):
            let r = evaluateKind(inner.kind)
            return r.passed ? fail("\(r.name) passed: \(r.detail)") : pass("\(r.name) failed as required")
        }
    }

    /// A short name for a check, as the live output and the trace print it.
    public static func name(_ kind: Check.Kind) -> String {
        switch kind {
        case .fileExists(let p): "file_exists \(p)"
        case .fileContains(let p, let t): "file_contains \(p) \(quote(t.description))"
        case .fileMatches(let p, let r): "file_matches \(p) /\(r.pattern)/"
        case .fileEquals(let p, let f): "file_equals \(p) \(f)"
        case .command(let c, _, _, _, _): "command \(c)"
        case .window(let m): "window [\(m)]"
        case .screenText(let t): "screen_text \(quote(t))"
        case .element(let q): "\(q)"
        case .elementText(let q, let t, let r): "element_text \(q) " + (t.map { quote($0.description) } ?? "/\(r?.pattern ?? "")/")
        case .all(let l): "all of \(l.count)"
        case .any(let l): "any of \(l.count)"
        case .not(let c): "not \(name(c.kind))"
        }
    }

    /// What an element check compares: the element's text, else its value, else its name.
    static func content(of node: A11yNode) -> String {
        if let text = node.text, !text.isEmpty { return text }
        if let value = node.value { return value.rounded() == value && abs(value) < 1e15 ? String(Int(value)) : String(value) }
        return node.name
    }

    /// "no element … is showing", with the states the best match by role and name lacked, when there is one.
    func elementMissing(_ query: ElementQuery, frame: Frame) -> String {
        var message = "no \(query) is showing"
        if !query.states.isEmpty, let finder = desktop.elementFinder,
           let loose = try? finder.find(ElementQuery(role: query.role, name: query.name, within: query.within), in: frame,
                                        windows: desktop.windows.windows()).first {
            let missing = query.states.filter { !loose.node.has($0) }
            message += "; \(loose) lacks \(missing.joined(separator: ", ")) (its states: \(loose.node.states.joined(separator: ", ")))"
        } else if let name = query.name {
            message += TargetResolver.closestNote(name, desktop: desktop)
        }
        return message
    }

    static func containsNot(_ check: Check) -> Bool {
        func walk(_ k: Check.Kind) -> Bool {
            switch k {
            case .not: true
            case .all(let l), .any(let l): l.contains { walk($0.kind) }
            default: false
            }
        }
        return walk(check.kind)
    }

    static func readText(_ path: String) -> Result<String, CheckReadError> {
        guard FileManager.default.fileExists(atPath: path) else { return .failure(CheckReadError("\(path) does not exist")) }
        guard let data = FileManager.default.contents(atPath: path) else { return .failure(CheckReadError("cannot read \(path)")) }
        return .success(String(decoding: data, as: UTF8.self))
    }

    static func quote(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\t", with: "\\t") + "\""
    }

    static func excerpt(_ s: String) -> String {
        s.count > 200 ? String(s.prefix(197)) + "…" : s
    }
}

/// Why a file could not be read for a check.
struct CheckReadError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
