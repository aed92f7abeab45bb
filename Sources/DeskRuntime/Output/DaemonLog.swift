import DeskCore
import Foundation
import Synchronization

/// The daemon's log: timestamped lines on stderr (stdout stays free, which `deskpilot mcp` needs).
public enum DaemonLog {
    /// One line at a time, so concurrent jobs' lines never interleave.
    private static let writing = Mutex(())

    public static func write(_ line: String) {
        let stamp = ISO8601DateFormatter.string(from: Date(), timeZone: .current,
                                                formatOptions: [.withInternetDateTime])
        writing.withLock { _ in
            FileHandle.standardError.write(Data("\(stamp) deskpilot: \(ControlCharacters.printableLine(line))\n".utf8))
        }
    }
}
