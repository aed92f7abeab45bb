/// Caps and timeouts of the daemon's listeners (`serve --max-connections`, `--max-connections-per-peer`,
/// `--header-timeout`, `--idle-timeout`).
///
/// They exist so that nobody — a runaway client of the owner, or another local user on the TCP listener —
/// can hold enough connections or descriptors to make the daemon unavailable to its owner.
public struct ListenerLimits: Sendable, Hashable {
    /// Connections open at once over every listener. Connections from peers other than the daemon's own uid
    /// may fill only `maxConnections - maxConnectionsPerPeer` of them: the rest stays for the owner.
    public var maxConnections: Int
    /// Connections open at once from one peer: one uid (the kernel says which, on the Unix socket with
    /// `SO_PEERCRED`, on loopback TCP with `sock_diag`), or one remote address when the kernel cannot say.
    public var maxConnectionsPerPeer: Int
    /// Seconds from a request's first byte until its request line and headers are complete. On the TCP
    /// listener the first request's clock starts at accept: a client that has not shown the token yet gets
    /// no longer than this.
    public var headerTimeout: Double
    /// Seconds a connection may stay silent — between requests, or in the middle of one — before it is closed.
    public var idleTimeout: Double

    public static let defaultMaxConnections = 512
    public static let defaultMaxConnectionsPerPeer = 64
    public static let defaultHeaderTimeout = 10.0
    public static let defaultIdleTimeout = 60.0

    public init(maxConnections: Int = ListenerLimits.defaultMaxConnections,
                maxConnectionsPerPeer: Int = ListenerLimits.defaultMaxConnectionsPerPeer,
                headerTimeout: Double = ListenerLimits.defaultHeaderTimeout,
                idleTimeout: Double = ListenerLimits.defaultIdleTimeout) {
        self.maxConnections = max(1, maxConnections)
        self.maxConnectionsPerPeer = max(1, maxConnectionsPerPeer)
        self.headerTimeout = headerTimeout
        self.idleTimeout = idleTimeout
    }

    /// The default caps shrunk to fit a process allowed `descriptorLimit` open files, keeping `reserve` of
    /// them for everything else the daemon opens (X connections, traces, child processes' pipes), so that
    /// the caps refuse a connection before `accept` runs out of descriptors.
    public func fitted(toDescriptorLimit descriptorLimit: Int, reserve: Int = 48) -> ListenerLimits {
        var fitted = self
        let room = max(4, descriptorLimit - reserve)
        fitted.maxConnections = min(maxConnections, room)
        fitted.maxConnectionsPerPeer = min(maxConnectionsPerPeer, max(1, fitted.maxConnections / 4))
        return fitted
    }
}

/// Who is on the other end of a connection, for the connection caps.
public enum ConnectionPeer: Sendable, Hashable, CustomStringConvertible {
    /// A local uid, as the kernel reports it.
    case uid(UInt32)
    /// A TCP peer whose uid the kernel did not tell (it closed at once, or `sock_diag` is unavailable).
    case address(String)

    public var description: String {
        switch self {
        case .uid(let uid): return "uid \(uid)"
        case .address(let address): return address
        }
    }
}

/// Counts open connections per peer and in total, and decides whether a new one may open (pure: no I/O).
public struct ConnectionQuota: Sendable {
    public enum Verdict: Sendable, Equatable {
        case admitted
        /// The peer already holds `maxConnectionsPerPeer` connections.
        case peerFull(open: Int)
        /// Every connection that peer may use is taken: all of them, or for peers other than the owner, all
        /// but the owner's share (`open` counts those peers' connections then).
        case totalFull(open: Int, cap: Int)
    }

    public let limits: ListenerLimits
    /// The daemon's own uid: its connections may use the share the others may not.
    public let ownerUID: UInt32
    public private(set) var open = 0
    /// Connections of peers other than the owner.
    public private(set) var othersOpen = 0
    private var byPeer: [ConnectionPeer: Int] = [:]

    public init(limits: ListenerLimits, ownerUID: UInt32) {
        self.limits = limits
        self.ownerUID = ownerUID
    }

    /// The connections `peer` holds now.
    public func count(of peer: ConnectionPeer) -> Int { byPeer[peer] ?? 0 }

    /// The most connections `peer`'s kind may hold at once: every one for the owner, for the other peers
    /// together all but the owner's share.
    public func cap(for peer: ConnectionPeer) -> Int {
        if peer == .uid(ownerUID) { return limits.maxConnections }
        let ownersShare = min(limits.maxConnectionsPerPeer, limits.maxConnections / 2)
        return limits.maxConnections - ownersShare
    }

    /// Counts a new connection from `peer` when the caps allow it.
    public mutating func admit(_ peer: ConnectionPeer) -> Verdict {
        let held = count(of: peer)
        if held >= limits.maxConnectionsPerPeer { return .peerFull(open: held) }
        let isOwner = peer == .uid(ownerUID)
        if open >= limits.maxConnections { return .totalFull(open: open, cap: limits.maxConnections) }
        if !isOwner, othersOpen >= cap(for: peer) { return .totalFull(open: othersOpen, cap: cap(for: peer)) }
        open += 1
        if !isOwner { othersOpen += 1 }
        byPeer[peer] = held + 1
        return .admitted
    }

    /// Forgets one admitted connection of `peer`.
    public mutating func release(_ peer: ConnectionPeer) {
        guard let held = byPeer[peer], held > 0 else { return }
        open -= 1
        if peer != .uid(ownerUID) { othersOpen -= 1 }
        byPeer[peer] = held == 1 ? nil : held - 1
    }
}

/// How long an accept loop waits after a failed `accept` (pure): 10 ms, doubling to at most 1 s, back to the
/// start after a success. EMFILE leaves the listener readable, so retrying at once would spin.
public struct AcceptBackoff: Sendable {
    public static let firstDelayMilliseconds = 10
    public static let longestDelayMilliseconds = 1000
    /// Failures since the last success.
    public private(set) var failures = 0

    public init() {}

    /// Counts a failure; the milliseconds to wait before the next attempt.
    public mutating func failed() -> Int {
        failures += 1
        let doublings = min(failures - 1, 10)
        return min(Self.longestDelayMilliseconds, Self.firstDelayMilliseconds << doublings)
    }

    /// Counts a success; the failures it ends, when there were some.
    public mutating func succeeded() -> Int? {
        defer { failures = 0 }
        return failures > 0 ? failures : nil
    }
}

/// Log lines that may repeat without bound (one per refused connection), at most one per key and interval,
/// with the number held back (pure: the caller passes the time).
public struct RateLimitedLog: Sendable {
    public let interval: Double
    private var last: [String: (at: Double, held: Int)] = [:]

    public init(interval: Double) { self.interval = interval }

    /// `line` to write now (with how many like it were held back), or nil to hold it back.
    public mutating func line(_ line: String, key: String, now: Double) -> String? {
        if let previous = last[key], now - previous.at < interval {
            last[key] = (previous.at, previous.held + 1)
            return nil
        }
        let held = last[key]?.held ?? 0
        last[key] = (now, 0)
        if last.count > 1024 { last = last.filter { now - $0.value.at < interval } }
        return held > 0 ? "\(line) (and \(held) more like it in the last \(Int(interval))s)" : line
    }
}
