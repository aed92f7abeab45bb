import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The uid owning the client end of a loopback TCP connection, asked from the kernel with `sock_diag`
/// (the netlink interface `ss` uses).
///
/// Every local user connects from 127.0.0.1 (or any 127.x address it likes), so a per-address cap cannot
/// tell the daemon's owner from another user: the uid of the peer's socket can. The kernel answers an
/// exact lookup by the connection's four addresses and ports, without privileges.
enum TCPPeerOwner {
    /// `SOCK_DIAG_BY_FAMILY` from linux/sock_diag.h.
    private static let sockDiagByFamily: UInt16 = 20
    /// From linux/netlink.h, which Glibc does not import.
    private static let netlinkSockDiag: Int32 = 4
    private static let netlinkRequestFlag: UInt16 = 1
    private static let requestLength = 16 + 56
    /// The netlink socket, opened at first use and kept: a lookup then needs no new descriptor, which
    /// matters exactly when descriptors are scarce.
    private static let netlink = Mutex<Int32>(-1)

    /// The uid owning the socket at `peer` connected to `local` (both IPv4, as seen by the daemon), or nil
    /// when the kernel does not say (the peer closed already, or netlink is unavailable).
    static func uid(peer: sockaddr_in, local: sockaddr_in) -> UInt32? {
        // inet_diag_req_v2 after the netlink header: family, protocol, ext, pad, states, then the socket id
        // of the *peer's* socket: its source is the daemon's peer, its destination the daemon's listener.
        var request = [UInt8](repeating: 0, count: requestLength)
        func put32(_ value: UInt32, at offset: Int) {
            withUnsafeBytes(of: value) { request.replaceSubrange(offset..<offset + 4, with: $0) }
        }
        func put16(_ value: UInt16, at offset: Int) {
            withUnsafeBytes(of: value) { request.replaceSubrange(offset..<offset + 2, with: $0) }
        }
        put32(UInt32(requestLength), at: 0)
        put16(sockDiagByFamily, at: 4)
        put16(netlinkRequestFlag, at: 6)
        put32(1, at: 8)
        request[16] = UInt8(AF_INET)
        request[17] = UInt8(IPPROTO_TCP)
        put32(0xFFFF_FFFF, at: 20)                       // every TCP state
        put16(peer.sin_port, at: 24)                     // sport, already network order
        put16(local.sin_port, at: 26)                    // dport
        put32(peer.sin_addr.s_addr, at: 28)              // src[0]
        put32(local.sin_addr.s_addr, at: 44)             // dst[0]
        put32(0xFFFF_FFFF, at: 64)                       // INET_DIAG_NOCOOKIE
        put32(0xFFFF_FFFF, at: 68)

        return netlink.withLock { fd -> UInt32? in
            if fd < 0 {
                fd = socket(AF_NETLINK, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), netlinkSockDiag)
                if fd < 0 { return nil }
                // The kernel answers before send returns; the timeout only guards against a kernel that does not.
                var wait = timeval(tv_sec: 1, tv_usec: 0)
                setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
            }
            // sockaddr_nl: family, padding, pid 0 and groups 0 (the kernel).
            var kernel = [UInt8](repeating: 0, count: 12)
            withUnsafeBytes(of: sa_family_t(AF_NETLINK)) { kernel.replaceSubrange(0..<2, with: $0) }
            let sent = request.withUnsafeBytes { bytes in
                kernel.withUnsafeBytes { address in
                    sendto(fd, bytes.baseAddress, bytes.count, 0,
                           address.baseAddress?.assumingMemoryBound(to: sockaddr.self), socklen_t(address.count))
                }
            }
            guard sent == requestLength else {
                close(fd)
                fd = -1
                return nil
            }
            var answer = [UInt8](repeating: 0, count: 1024)
            let received = answer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            // nlmsghdr (16) + inet_diag_msg: family, state, timer, retrans (4), id (48), expires, rqueue,
            // wqueue (12), then uid.
            guard received >= 16 + 68 else {
                if received < 0 {
                    close(fd)
                    fd = -1
                }
                return nil
            }
            let type = answer[4..<6].withUnsafeBytes { $0.loadUnaligned(as: UInt16.self) }
            guard type == sockDiagByFamily else { return nil }
            return answer[80..<84].withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }
        }
    }

    /// The peer of the accepted IPv4 socket `fd`: its uid when the kernel says, else its address.
    static func peer(ofAccepted fd: Int32) -> ConnectionPeer {
        var remote = sockaddr_in(), local = sockaddr_in()
        var remoteLength = socklen_t(MemoryLayout<sockaddr_in>.size), localLength = remoteLength
        let named = withUnsafeMutablePointer(to: &remote) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(fd, $0, &remoteLength) }
        } == 0 && withUnsafeMutablePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &localLength) }
        } == 0
        guard named, remote.sin_family == sa_family_t(AF_INET) else { return .address("unknown") }
        if let uid = uid(peer: remote, local: local) { return .uid(uid) }
        var text = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
        var address = remote.sin_addr
        inet_ntop(AF_INET, &address, &text, socklen_t(text.count))
        return .address(String(cString: text))
    }
}
