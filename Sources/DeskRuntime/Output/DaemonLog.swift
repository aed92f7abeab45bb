import DeskCore
import Foundation

/// The daemon's log: timestamped lines on stderr (stdout stays free, which `deskpilot mcp` needs).
public enum DaemonLog {
    private static let lock = NSLock()

    public static func write(_ line: String) {
        let stamp = ISO8601DateFormatter.string(from: Date(), timeZone: .current,
                                                formatOptions: [.withInternetDateTime])
        lock.withLock {
            FileHandle.standardError.write(Data("\(stamp) deskpilot: \(ControlCharacters.printableLine(line))\n".utf8))
        }
    }
}
