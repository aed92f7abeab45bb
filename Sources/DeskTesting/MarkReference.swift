import DeskCore
import Foundation

/// `{{mark:TEXT}}` in a scripted answer: replaced by the number of the Set-of-Mark mark whose label holds
/// `"TEXT"` in the request being answered (its mark table, `[17] push button "OK" at …`), so a script can
/// answer `click(mark={{mark:OK}})` without knowing how the screen's marks are numbered.
enum MarkReference {
    static func fill(_ content: String, request body: Data) -> String {
        guard content.contains("{{mark:"), let json = JSONValue.parse(body) else { return content }
        var texts: [String] = []
        collect(json, into: &texts)
        let lines = texts.joined(separator: "\n").split(separator: "\n")
        var out = content
        while let open = out.range(of: "{{mark:"), let close = out[open.upperBound...].range(of: "}}") {
            let wanted = String(out[open.upperBound..<close.lowerBound])
            let number = lines.lazy.compactMap { line -> String? in
                guard line.hasPrefix("["), line.contains("\"\(wanted)\""), let end = line.firstIndex(of: "]") else { return nil }
                let digits = line[line.index(after: line.startIndex)..<end]
                return digits.allSatisfy(\.isNumber) && !digits.isEmpty ? String(digits) : nil
            }.first ?? "no-mark-\(wanted)"
            out.replaceSubrange(open.lowerBound..<close.upperBound, with: number)
        }
        return out
    }

    private static func collect(_ value: JSONValue, into texts: inout [String]) {
        switch value {
        case .string(let s): texts.append(s)
        case .array(let a): for v in a { collect(v, into: &texts) }
        case .object(let o): for v in o.values { collect(v, into: &texts) }
        default: break
        }
    }
}
