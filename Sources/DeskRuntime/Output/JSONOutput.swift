import DeskCore
import Foundation

/// `--json` output: JSON Lines in the project's one style (``JSONStyle``: snake_case keys, ISO 8601 times,
/// keys sorted), one object per line; a list prints one line per element.
public enum JSONOutput {
    public static func print<T: Encodable>(_ value: T) throws {
        write(try JSONStyle.line(value))
    }

    /// One line per element.
    public static func printLines<T: Encodable>(_ values: [T]) throws {
        for value in values { write(try JSONStyle.line(value)) }
    }

    private static func write(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
