import DeskCore
import Foundation

/// Every `print` of the CLI passes here (it shadows `Swift.print` here and in every module that imports this
/// one): what is printed holds window titles, job reasons from the daemon and model text, so control characters
/// other than `\n` and `\t` are shown as `\u{1B}` and never reach the terminal as escape sequences.
public func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
    Swift.print(ControlCharacters.printable(items.map { "\($0)" }.joined(separator: separator)), terminator: terminator)
}

/// Writes `line` and a newline to stderr, its control characters made visible.
public func printError(_ line: String) {
    FileHandle.standardError.write(Data((ControlCharacters.printable(line) + "\n").utf8))
}
