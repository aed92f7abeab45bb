import Foundation

/// Whether an X server answers on a local display: the observable end of its start-up. The socket file
/// appears while the server is still initialising; only a server in its dispatch loop answers the
/// connection setup that every client starts with.
public enum XServerProbe {
    /// True once display `n` answers a connection setup (with any status: success, failure or a request
    /// to authenticate all mean the server is serving); false when it has not within `timeout` seconds.
    public static func waitUntilServing(display n: Int, timeout: Double = 30) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        repeat {
            if answersSetup(display: n) { return true }
            usleep(10_000)
        } while Date() < deadline
        return false
    }

    /// One attempt: connect to /tmp/.X11-unix/X<n>, send a setup request, read the first byte of the reply.
    static func answersSetup(display n: Int) -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        // Bounded reads: a server that accepted but never answers must not hang the probe.
        var limit = timeval(tv_sec: 2, tv_usec: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let path = Array("/tmp/.X11-unix/X\(n)".utf8CString)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, byte) in path.prefix(raw.count).enumerated() { raw[i] = UInt8(bitPattern: byte) }
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard connected == 0 else { return false }
        // Little-endian byte order, protocol 11.0, no authorisation: 12 bytes.
        let setup: [UInt8] = [0x6C, 0, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0]
        guard setup.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) == setup.count else { return false }
        var status: UInt8 = 0xFF
        guard read(fd, &status, 1) == 1 else { return false }
        return status <= 2
    }
}
