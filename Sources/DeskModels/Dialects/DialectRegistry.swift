import Foundation
import DeskCore

/// The dialects `--dialect` accepts. A new dialect (the built-in `local` grounder, say) is one more
/// entry in ``builtIn``; nothing else changes.
public enum DialectRegistry {
    /// Every built-in dialect, in the order `--help` lists them.
    public static let builtIn: [Dialect] = [.uiTars10, .uiTars15, .seed, .seedXML, .qwen25VL, .qwen3VL, .local]

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

extension Dialect {
    /// The built-in `local` grounder: no network, no model. Its "answers" come from a planner in the
    /// executable (DeskGrounding's `LocalAgent`) that reads the goal as steps (`click Save, then type 'hi'`)
    /// and finds each target on the screen by OCR; the agent loop takes them as actions in pixels of the
    /// screenshot as captured (``CoordinateConvention/absoluteOnSent``, never resized).
    public static let local = Dialect(
        name: "local",
        summary: "the built-in offline grounder: goal steps such as 'click Save, then type 'hi' into Name', found on screen by OCR",
        convention: .absoluteOnSent,
        resize: SmartResize(factor: 1, minPixels: 1, maxPixels: Int(Int32.max)),
        historyImages: 1,
        needsEndpoint: false,
        formatReminder: "Write the goal as steps: click TEXT, type 'TEXT' [into FIELD], press CHORD, scroll DIRECTION, wait for TEXT, wait DURATION, drag TEXT to TEXT.",
        prompt: { ctx in [.user(ctx.goal)] },
        parser: { text in
            .failure(ParseError(message: "the local dialect plans from the goal and reads no model answers", offset: 0,
                                line: 1, column: 1, excerpt: String(text.prefix(80))))
        })
}
