import DeskCore

/// Reads the point forms models write inside an argument: `<|box_start|>(x,y)<|box_end|>`, `(x,y)`,
/// `[x,y]`, `[x1, y1, x2, y2]`, `x1, y1, x2, y2`, `<point>x y</point>`, `<bbox>x1 y1 x2 y2</bbox>`.
/// A four-number box becomes its centre. Anything else is an error: a point is never guessed.
/// Why a point argument is not a point.
struct PointProblem: Error {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}

enum PointText {
    /// A Set-of-Mark number: digits only (`17`), 1 to 9999. `[17]` or `(17)` is not one — UI-TARS writes
    /// boxes that way, and a box is never read as a mark.
    static func markNumber(_ value: String, key: String) -> Result<Int, PointProblem> {
        let text = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.count <= 4, text.allSatisfy({ $0.isASCII && $0.isNumber }), let id = Int(text), id >= 1 else {
            return .failure(PointProblem("\(key)='\(value)' is not a mark number; write \(key)=17 with the number shown on the screenshot"))
        }
        return .success(id)
    }

    /// The point, or a reason it is not one. `requireTags` is set for `point=`-style keys, whose format
    /// writes `<point>x y</point>`: a bare `(x,y)` there is a known model slip (UI-TARS #179).
    static func parse(_ value: String, key: String, requireTags: Bool) -> Result<ModelPoint, PointProblem> {
        var text = value.replacingOccurrences(of: "<|box_start|>", with: "")
            .replacingOccurrences(of: "<|box_end|>", with: "")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let expected = "expected (x,y), [x1, y1, x2, y2], <point>x y</point> or <bbox>x1 y1 x2 y2</bbox>"
        if text.isEmpty { return .failure(PointProblem("\(key) is empty; \(expected)")) }
        var tagged = false
        for (open, close) in [("<point>", "</point>"), ("<bbox>", "</bbox>")] where text.hasPrefix(open) {
            guard text.hasSuffix(close), text.count >= open.count + close.count else {
                return .failure(PointProblem("\(key)='\(value)' opens \(open) but does not end with \(close)"))
            }
            text = String(text.dropFirst(open.count).dropLast(close.count))
            tagged = true
            break
        }
        if !tagged {
            if text.contains("<") || text.contains(">") {
                return .failure(PointProblem("\(key)='\(value)' has unknown tags; \(expected)"))
            }
            if requireTags {
                return .failure(PointProblem("\(key)='\(value)' lacks the <point>x y</point> tags; write \(key)='<point>x y</point>'"))
            }
            if let f = text.first, let l = text.last, (f == "(" && l == ")") || (f == "[" && l == "]") {
                text = String(text.dropFirst().dropLast())
            }
        }
        let parts = text.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" || $0.isNewline })
        var numbers: [Double] = []
        for part in parts {
            guard let n = number(part) else {
                return .failure(PointProblem("\(key)='\(value)' has '\(part)' where a number belongs; \(expected)"))
            }
            numbers.append(n)
        }
        switch numbers.count {
        case 2: return .success(ModelPoint(x: numbers[0], y: numbers[1]))
        case 4: return .success(ModelPoint(x: (numbers[0] + numbers[2]) / 2, y: (numbers[1] + numbers[3]) / 2))
        default: return .failure(PointProblem("\(key)='\(value)' has \(numbers.count) numbers, not 2 or 4; \(expected)"))
        }
    }

    /// A plain decimal number (`12`, `-3.5`); no `nan`, `inf`, hex or exponents.
    static func number(_ s: Substring) -> Double? {
        guard !s.isEmpty, s.count <= 32 else { return nil }
        var digits = 0, dots = 0
        for (i, c) in s.enumerated() {
            if c.isASCII, c.isNumber { digits += 1 }
            else if c == "." { dots += 1 }
            else if (c == "-" || c == "+") && i == 0 { continue }
            else { return nil }
        }
        guard digits > 0, dots <= 1, let v = Double(s), v.isFinite else { return nil }
        return v
    }
}
