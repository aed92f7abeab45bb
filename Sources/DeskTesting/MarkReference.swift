import DeskCore
import Foundation

/// Placeholders in a scripted answer, filled from the request being answered, so a script can act on what
/// the observation showed without knowing the layout:
/// - `{{mark:TEXT}}`: the number of the Set-of-Mark mark whose label holds `"TEXT"` (its mark table,
///   `[17] push button "OK" at …`): `click(mark={{mark:OK}})`;
/// - `{{a11y:NAME}}`: the centre of the tree element named `NAME` (the `a11y` observation's
///   `role\tname\ttext\t(x, y)\t(w, h)` lines) in thousandths of the screen: `click(start_box='({{a11y:7}})')`.
enum MarkReference {
    static func fill(_ content: String, request body: Data) -> String {
        guard content.contains("{{mark:") || content.contains("{{a11y:"), let json = JSONValue.parse(body) else { return content }
        var texts: [String] = []
        collect(json, into: &texts)
        let all = texts.joined(separator: "\n")
        let lines = all.split(separator: "\n")
        let screen = screenSize(in: all)
        let marked = replacing("mark", in: content) { wanted in
            lines.lazy.compactMap { line -> String? in
                guard line.hasPrefix("["), line.contains("\"\(wanted)\""), let end = line.firstIndex(of: "]") else { return nil }
                let digits = line[line.index(after: line.startIndex)..<end]
                return digits.allSatisfy(\.isNumber) && !digits.isEmpty ? String(digits) : nil
            }.first ?? "no-mark-\(wanted)"
        }
        return replacing("a11y", in: marked) { wanted in
            guard let screen else { return "no-tree" }
            return lines.lazy.compactMap { centre(of: wanted, in: $0, screen: screen) }.first ?? "no-element-\(wanted)"
        }
    }

    /// Every `{{KIND:ARGUMENT}}` in `content` replaced by `value(ARGUMENT)`.
    static func replacing(_ kind: String, in content: String, _ value: (String) -> String) -> String {
        var out = content
        while let open = out.range(of: "{{\(kind):"), let close = out[open.upperBound...].range(of: "}}") {
            let wanted = String(out[open.upperBound..<close.lowerBound])
            out.replaceSubrange(open.lowerBound..<close.upperBound, with: value(wanted))
        }
        return out
    }

    /// The screen the tree header names (`… screen pixels, WxH)`).
    static func screenSize(in text: String) -> (width: Double, height: Double)? {
        guard let range = text.range(of: #"screen pixels, (\d+)x(\d+)\)"#, options: .regularExpression) else { return nil }
        let dims = text[range].dropFirst("screen pixels, ".count).dropLast().split(separator: "x").compactMap { Double($0) }
        guard dims.count == 2, dims[0] > 0, dims[1] > 0 else { return nil }
        return (dims[0], dims[1])
    }

    /// `x,y` in thousandths of the screen: the centre of the tree line's box when its name is `wanted`.
    static func centre(of wanted: String, in line: Substring, screen: (width: Double, height: Double)) -> String? {
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
        guard fields.count >= 5, fields[1] == wanted else { return nil }
        let numbers = (fields[3] + "," + fields[4]).split { !$0.isNumber && $0 != "-" }.compactMap { Double($0) }
        guard numbers.count == 4 else { return nil }
        let x = (numbers[0] + numbers[2] / 2) / screen.width * 1000, y = (numbers[1] + numbers[3] / 2) / screen.height * 1000
        return "\(Int(x.rounded())),\(Int(y.rounded()))"
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
