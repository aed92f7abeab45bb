import FlyingSocks
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Who is on the other end of a Unix socket connection, as the kernel says (`SO_PEERCRED`).
///
/// Whoever reaches the daemon's socket controls the keyboard and the mouse, so the daemon trusts the
/// kernel's answer, never anything the client says about itself.
public struct PeerCredentials: Sendable, Hashable {
    public var pid: Int32
    public var uid: UInt32
    public var gid: UInt32

    public init(pid: Int32, uid: UInt32, gid: UInt32) {
        self.pid = pid
        self.uid = uid
        self.gid = gid
    }

    /// The credentials of the peer of the connected Unix socket `fd`, or nil when the kernel gives none.
    ///
    /// Swift's Glibc does not import `struct ucred`, so the three 32-bit fields (pid, uid, gid) are read
    /// from a raw buffer in that order.
    public static func of(fd: Int32) -> PeerCredentials? {
        var raw = [UInt32](repeating: 0, count: 3)
        var length = socklen_t(MemoryLayout<UInt32>.size * 3)
        let result = raw.withUnsafeMutableBytes { buffer in
            getsockopt(fd, SOL_SOCKET, SO_PEERCRED, buffer.baseAddress, &length)
        }
        guard result == 0, Int(length) == MemoryLayout<UInt32>.size * 3 else { return nil }
        return PeerCredentials(pid: Int32(bitPattern: raw[0]), uid: raw[1], gid: raw[2])
    }

    /// The peer of `socket`.
    static func of(_ socket: Socket) -> PeerCredentials? { of(fd: socket.file.rawValue) }
}
