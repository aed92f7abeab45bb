import DeskCore
import Foundation

/// Reads the model settings of `~/.config/deskpilot/config.yaml` without a YAML library (DeskModels
/// must not depend on Yams): top-level `key: value` lines, `#` comments, optional quotes.
///
/// Nested blocks and other keys are skipped, so the file can hold settings for other parts of deskpilot.
public enum ModelConfigFile {
    /// The keys this reader returns.
    public static let keys: Set<String> = ["provider", "endpoint", "model", "dialect"]

    /// Known keys with their values and 1-based line numbers.
    public static func parse(_ text: String, path: String) throws(InputError) -> [String: (value: String, line: Int)] {
        var out: [String: (value: String, line: Int)] = [:]
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNo = index + 1
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            guard let first = line.first, first != " ", first != "\t", first != "#", first != "-" else { continue }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces)
            guard keys.contains(key) else { continue }
            var value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if let q = value.first, q == "\"" || q == "'" {
                guard let close = value.dropFirst().firstIndex(of: q) else {
                    throw InputError("\(path):\(lineNo): the value of '\(key)' opens a \(q) quote that is never closed")
                }
                value = String(value[value.index(after: value.startIndex)..<close])
            } else if let hash = value.range(of: " #") {
                value = String(value[..<hash.lowerBound]).trimmingCharacters(in: .whitespaces)
            }
            if out[key] != nil { throw InputError("\(path):\(lineNo): '\(key)' is set twice") }
            out[key] = (value, lineNo)
        }
        return out
    }
}
