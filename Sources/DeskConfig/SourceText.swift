import DeskCore
import Foundation

/// Reads a task or policy file as UTF-8, locating the first byte that is not UTF-8 at `file:line:column`.
enum SourceText {
    /// The text of `path`; `file` names it in errors (as the user wrote it), `what` says what it is
    /// ("the task file").
    static func read(path: String, file: String? = nil, what: String) throws(ConfigError) -> String {
        let file = file ?? path
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ConfigError(file: file, location: nil, message: "cannot read \(what): \(error.localizedDescription)")
        }
        return try decode(data, file: file, what: what)
    }

    /// `data` as UTF-8, or an error at the first invalid byte (columns count characters, from 1).
    static func decode(_ data: Data, file: String, what: String) throws(ConfigError) -> String {
        let bytes = [UInt8](data)
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var line = 1, column = 1, offset = 0
        var pending = 0
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                let width = UTF8.width(scalar)
                offset += width
                if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
            case .emptyInput:
                break loop
            case .error:
                pending = offset
                break loop
            }
        }
        let byte = pending < bytes.count ? String(format: "0x%02X", bytes[pending]) : "the end"
        throw ConfigError(file: file, location: SourceLocation(file: file, line: line, column: column),
                          message: "\(what) is not UTF-8 text: byte \(byte) at offset \(pending) is not valid UTF-8")
    }
}
