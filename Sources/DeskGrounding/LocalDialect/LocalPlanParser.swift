import DeskCore
import Foundation

/// Reads a `local`-dialect goal (see ``LocalPlan``): splits it into steps outside quotes, then reads each
/// step by its verb. Pure and deterministic.
enum LocalPlanParser {
    /// Words that begin a step (after lower-casing and turning hyphens into spaces).
    static let verbs: Set<String> = ["click", "double", "doubleclick", "triple", "right", "middle", "left", "tap",
                                     "type", "enter", "write", "press", "hit", "scroll", "wait", "drag"]
    /// Default scroll distance, in wheel notches.
    static let defaultNotches = 3

    static func parse(_ goal: String) throws(LocalPlanError) -> [LocalStep] {
        let parts = split(goal)
        guard !parts.isEmpty else {
            throw LocalPlanError(part: goal, step: 1, reason: "the goal has no steps")
        }
        var steps: [LocalStep] = []
        for (i, part) in parts.enumerated() {
            steps.append(try step(part, index: i + 1))
        }
        return steps
    }

    // MARK: Splitting

    /// Quote characters and the character that closes each.
    static let quotes: [Character: Character] = ["'": "'", "\"": "\"", "\u{201C}": "\u{201D}", "\u{2018}": "\u{2019}"]

    /// The goal cut at `,` `;` new lines and sentence ends outside quotes, then at `then`/`and` before a
    /// verb; connector words at the start of a part are dropped.
    static func split(_ goal: String) -> [String] {
        var pieces: [String] = []
        var current = ""
        var closing: Character?
        let chars = Array(goal)
        for (i, ch) in chars.enumerated() {
            if let close = closing {
                current.append(ch)
                if ch == close && (i + 1 == chars.count || !(chars[i + 1].isLetter || chars[i + 1].isNumber)) { closing = nil }
                continue
            }
            if let close = quotes[ch], i == 0 || !(chars[i - 1].isLetter || chars[i - 1].isNumber) {
                closing = close
                current.append(ch)
                continue
            }
            let sentenceEnd = (ch == "." || ch == "!") && (i + 1 == chars.count || chars[i + 1].isWhitespace)
            if ch == "," || ch == ";" || ch == "\n" || sentenceEnd {
                pieces.append(current)
                current = ""
            } else {
                current.append(ch)
            }
        }
        pieces.append(current)
        return pieces.flatMap(splitAtConnectors).map(dropConnectors).filter { !$0.isEmpty }
    }

    /// Words of `text` with quoted parts kept whole.
    static func words(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        var closing: Character?
        for ch in text {
            if let close = closing {
                current.append(ch)
                if ch == close { closing = nil }
                continue
            }
            if ch.isWhitespace {
                if !current.isEmpty { words.append(current); current = "" }
            } else {
                if current.isEmpty, let close = quotes[ch] { closing = close }
                current.append(ch)
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    static func splitAtConnectors(_ piece: String) -> [String] {
        let w = words(piece)
        var parts: [[String]] = [[]]
        var i = 0
        while i < w.count {
            let lower = w[i].lowercased()
            if (lower == "then" || lower == "and") && i + 1 < w.count && !(parts.last?.isEmpty ?? true) {
                var j = i + 1
                if w[j].lowercased() == "then" { j += 1 }
                if j < w.count && startsStep(w[j]) {
                    parts.append([])
                    i = j
                    continue
                }
            }
            parts[parts.count - 1].append(w[i])
            i += 1
        }
        return parts.map { $0.joined(separator: " ") }
    }

    static func startsStep(_ word: String) -> Bool {
        let lower = word.lowercased()
        return verbs.contains(lower) || verbs.contains(String(lower.split(separator: "-").first ?? ""))
    }

    static func dropConnectors(_ part: String) -> String {
        var w = words(part)
        while let first = w.first?.lowercased(), ["then", "and", "finally", "next", "please", "first"].contains(first) {
            w.removeFirst()
        }
        return w.joined(separator: " ")
    }

    // MARK: Steps

    static func step(_ part: String, index: Int) throws(LocalPlanError) -> LocalStep {
        let w = words(part)
        func fail(_ reason: String) -> LocalPlanError { LocalPlanError(part: part, step: index, reason: reason) }
        guard let first = w.first else { throw fail("the step is empty") }
        // Verbs: lower case, hyphens and "doubleclick" spelt out.
        var verb = first.lowercased().replacingOccurrences(of: "-", with: " ").split(separator: " ").map(String.init)
        var rest = Array(w.dropFirst())
        if verb.count == 1, let second = rest.first?.lowercased(), ["double", "triple", "right", "middle", "left"].contains(verb[0]),
           second == "click" || second == "tap" {
            verb.append(second)
            rest.removeFirst()
        }
        let name = verb.joined(separator: " ")
        let remainder = rest.joined(separator: " ")
        switch name {
        case "click", "left click", "tap", "click on":
            return .click(target: try target(remainder, fail), button: .left, count: 1)
        case "double click", "doubleclick", "double tap":
            return .click(target: try target(remainder, fail), button: .left, count: 2)
        case "triple click":
            return .click(target: try target(remainder, fail), button: .left, count: 3)
        case "right click":
            return .click(target: try target(remainder, fail), button: .right, count: 1)
        case "middle click":
            return .click(target: try target(remainder, fail), button: .middle, count: 1)
        case "type", "enter", "write":
            return try typeStep(remainder, fail)
        case "press", "hit":
            return try pressStep(remainder, fail)
        case "scroll":
            return try scrollStep(rest, fail)
        case "wait":
            return try waitStep(rest, fail)
        case "drag":
            return try dragStep(remainder, fail)
        default:
            throw fail("expected a step starting with click, double click, right click, middle click, type, press, "
                       + "scroll, wait for, wait or drag")
        }
    }

    /// A target text: quoted as written, or unquoted without `on`, `the` and a trailing widget noun.
    static func target(_ text: String, _ fail: (String) -> LocalPlanError) throws(LocalPlanError) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let (quoted, rest) = unquote(trimmed) {
            guard rest.isEmpty || widgetNouns.contains(rest.lowercased()) || articleNouns.contains(rest.lowercased()) else {
                throw fail("unexpected '\(rest)' after the quoted text")
            }
            guard !quoted.isEmpty else { throw fail("the quoted text is empty") }
            return quoted
        }
        var w = words(trimmed)
        var article = false
        while let f = w.first?.lowercased(), ["on", "the", "a", "an"].contains(f), w.count > 1 {
            article = article || f != "on"
            w.removeFirst()
        }
        if let (quoted, rest) = unquote(w.joined(separator: " ")), !quoted.isEmpty,
           rest.isEmpty || widgetNouns.contains(rest.lowercased()) || articleNouns.contains(rest.lowercased()) {
            return quoted
        }
        // "the Settings tab" names the Settings tab; "New Tab" is the label itself.
        if w.count > 1, let last = w.last?.lowercased(), widgetNouns.contains(last) || (article && articleNouns.contains(last)) {
            w.removeLast()
        }
        let result = w.joined(separator: " ").trimmingCharacters(in: CharacterSet(charactersIn: ".!?"))
        guard !result.isEmpty else { throw fail("what to act on is missing") }
        return result
    }

    /// Nouns dropped after a target: always (they are rarely part of a label) …
    static let widgetNouns: Set<String> = ["button", "link", "field", "icon"]
    /// … or only after `the` (`click the Settings tab`, but `click New Tab`).
    static let articleNouns: Set<String> = ["tab", "menu", "item", "box", "entry", "label", "checkbox", "option"]

    /// `'text' rest` → (text, rest) when `text` starts with a quote that closes.
    static func unquote(_ text: String) -> (String, String)? {
        guard let open = text.first, let close = quotes[open] else { return nil }
        let body = text.dropFirst()
        guard let end = body.firstIndex(of: close) else { return nil }
        let rest = body[body.index(after: end)...].trimmingCharacters(in: .whitespaces)
        return (String(body[..<end]), rest)
    }

    static func typeStep(_ text: String, _ fail: (String) -> LocalPlanError) throws(LocalPlanError) -> LocalStep {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw fail("what to type is missing (write it in quotes: type 'hello')") }
        if let (typed, rest) = unquote(trimmed) {
            if rest.isEmpty { return .type(text: typed, into: nil) }
            let r = words(rest)
            guard let preposition = r.first?.lowercased(), ["into", "in", "on"].contains(preposition), r.count > 1 else {
                throw fail("expected 'into FIELD' after the quoted text, found '\(rest)'")
            }
            return .type(text: typed, into: try target(r.dropFirst().joined(separator: " "), fail))
        }
        if let range = trimmed.range(of: " into ", options: [.caseInsensitive, .backwards]) {
            let typed = String(trimmed[..<range.lowerBound])
            return .type(text: typed, into: try target(String(trimmed[range.upperBound...]), fail))
        }
        return .type(text: trimmed, into: nil)
    }

    static func pressStep(_ text: String, _ fail: (String) -> LocalPlanError) throws(LocalPlanError) -> LocalStep {
        var w = words(text)
        if w.first?.lowercased() == "the" { w.removeFirst() }
        if w.count > 1, let last = w.last?.lowercased(), last == "key" || last == "keys" { w.removeLast() }
        var chord = w.joined(separator: " ")
        if let (quoted, rest) = unquote(chord), rest.isEmpty { chord = quoted }
        guard !chord.isEmpty else { throw fail("which key to press is missing (press ctrl+s)") }
        do {
            _ = try KeyChord.parse(chord)
        } catch {
            throw fail(error.description)
        }
        return .press(chord: chord)
    }

    static func scrollStep(_ w: [String], _ fail: (String) -> LocalPlanError) throws(LocalPlanError) -> LocalStep {
        guard let word = w.first?.lowercased(), let direction = ScrollDirection(rawValue: word) else {
            throw fail("expected up, down, left or right after scroll")
        }
        var rest = Array(w.dropFirst())
        var notches = defaultNotches
        if let n = rest.first.flatMap({ Int($0) }) {
            guard (1...100).contains(n) else { throw fail("scroll takes 1 to 100 notches, not \(n)") }
            notches = n
            rest.removeFirst()
            if let unit = rest.first?.lowercased(), ["times", "notches", "steps", "clicks", "lines"].contains(unit) { rest.removeFirst() }
        }
        guard !rest.isEmpty else { return .scroll(direction: direction, notches: notches, over: nil) }
        guard let preposition = rest.first?.lowercased(), ["in", "on", "over", "at", "inside"].contains(preposition), rest.count > 1 else {
            throw fail("expected 'in TEXT' after the scroll direction, found '\(rest.joined(separator: " "))'")
        }
        return .scroll(direction: direction, notches: notches, over: try target(rest.dropFirst().joined(separator: " "), fail))
    }

    static func waitStep(_ w: [String], _ fail: (String) -> LocalPlanError) throws(LocalPlanError) -> LocalStep {
        guard let first = w.first?.lowercased() else { throw fail("expected 'wait for TEXT' or 'wait 2s'") }
        if first == "for" || first == "until" {
            var rest = Array(w.dropFirst())
            // "wait until Saved appears"
            if first == "until", let last = rest.last?.lowercased(), ["appears", "shows", "is shown", "is visible"].contains(last) {
                rest.removeLast()
            }
            if rest.count == 1, let seconds = DurationText.seconds(rest[0]) { return .wait(seconds: seconds) }
            return .waitFor(text: try target(rest.joined(separator: " "), fail))
        }
        let joined = w.joined(separator: " ").lowercased()
        let spelled = joined.replacingOccurrences(of: " seconds", with: "s").replacingOccurrences(of: " second", with: "s")
            .replacingOccurrences(of: " ", with: "")
        if let seconds = DurationText.seconds(spelled), seconds >= 0, seconds <= 3600 { return .wait(seconds: seconds) }
        throw fail("expected 'wait for TEXT' or a duration like 'wait 2s'")
    }

    static func dragStep(_ text: String, _ fail: (String) -> LocalPlanError) throws(LocalPlanError) -> LocalStep {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let (from, rest) = unquote(trimmed) {
            let r = words(rest)
            guard r.first?.lowercased() == "to" || r.first?.lowercased() == "onto", r.count > 1 else {
                throw fail("expected 'to TEXT' after what to drag")
            }
            return .drag(from: from, to: try target(r.dropFirst().joined(separator: " "), fail))
        }
        guard let range = trimmed.range(of: " to ", options: .caseInsensitive)
                ?? trimmed.range(of: " onto ", options: .caseInsensitive) else {
            throw fail("expected 'drag TEXT to TEXT'")
        }
        return .drag(from: try target(String(trimmed[..<range.lowerBound]), fail),
                     to: try target(String(trimmed[range.upperBound...]), fail))
    }
}
