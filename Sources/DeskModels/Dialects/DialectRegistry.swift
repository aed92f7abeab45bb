import Foundation
import DeskCore

/// The dialects `--dialect` accepts. A new dialect (the built-in `local` grounder, say) is one more
/// entry in ``builtIn``; nothing else changes.
public enum DialectRegistry {
    /// Every built-in dialect, in the order `--help` lists them.
    public static let builtIn: [Dialect] = [.uiTars10, .uiTars15, .seed, .seedXML, .qwen25VL]

    /// The names `--dialect` accepts.
    public static var names: [String] { builtIn.map(\.name) }

    /// The dialect called `name` (case-insensitive) among the built-ins and `extra`; a usage error
    /// listing the known names otherwise.
    public static func named(_ name: String, extra: [Dialect] = []) throws(InputError) -> Dialect {
        let all = builtIn + extra
        let key = name.trimmingCharacters(in: .whitespaces).lowercased()
        if let d = all.first(where: { $0.name == key }) { return d }
        throw InputError("unknown dialect '\(name)'; known dialects: \(all.map(\.name).joined(separator: ", "))")
    }
}
