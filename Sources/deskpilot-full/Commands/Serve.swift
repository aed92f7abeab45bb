import ArgumentParser
import DeskAgent
import DeskConfig
import DeskCore
import DeskDaemon
import DeskRuntime
import DeskRuntimeDaemon
import Foundation

/// `deskpilot serve`: own a display (or a pool of private Xvfbs) and take jobs over a private socket.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the daemon: own a display (or a pool of private Xvfbs) and take jobs over a private Unix socket.",
        discussion: """
            The daemon owns either one existing display (--display, default $DISPLAY) or, with --headless, a \
            pool of --displays private Xvfb servers of --screen size; each display runs one job at a time and \
            a FIFO queue waits in front of them.

            It listens on a Unix socket, by default $XDG_RUNTIME_DIR/deskpilot/<display>.sock (a pool: \
            .../pool.sock; without XDG_RUNTIME_DIR a private folder in the temp dir). --socket or \
            DESKPILOT_SOCKET choose another path. The folder is made 0700 and the socket 0600, a stale socket \
            is replaced, and the socket is removed at exit. Only processes of the daemon's own uid may talk to \
            it (checked with SO_PEERCRED): whoever reaches the socket controls the keyboard and mouse.

            The API is HTTP/1.1 + JSON (curl --unix-socket works); see docs/daemon-api.md. Clients: \
            deskpilot submit, status, stop, confirm, reply, resume.

            SIGTERM or SIGINT: no new jobs, running jobs stop at their next safe point (keys released, traces \
            closed), private Xvfbs stop, the socket is removed, exit 0. Exit 2 for a bad option or policy, 3 \
            when the display, the socket or the token file cannot be used.
            """)

    @Option(name: .long, help: "The X display to own (default: $DISPLAY). Excludes --headless.")
    var display: String?

    @Flag(name: .long, help: "Own a pool of private Xvfb servers instead of an existing display.")
    var headless = false

    @Option(name: .long, help: "With --headless: how many private displays (each runs one job at a time; default 1).")
    var displays: Int?

    @Option(name: .long, help: "With --headless: the screen size of each private display, WxH (default 1920x1080).")
    var screen: String?

    @Option(name: .long, help: "With --headless: openbox (window manager, session bus, accessibility bus) or bare (default bare).")
    var desktop: String?

    @Option(name: .long, help: "The socket path (default: $DESKPILOT_SOCKET, else $XDG_RUNTIME_DIR/deskpilot/<display>.sock or pool.sock).")
    var socket: String?

    @Option(name: .long, help: "The policy for jobs and direct actions: default, strict, permissive or a file (default: default). A job may name another.")
    var policy: String = "default"

    @Option(name: .long, help: "Parent folder of each job's trace folder (default: $XDG_STATE_HOME/deskpilot/traces or ~/.local/state/deskpilot/traces).")
    var traceDir: String?

    @Flag(name: .long, help: "Keep no traces (a job may still ask for one with trace_dir).")
    var noTrace = false

    @Option(name: .long, help: "Also listen on loopback TCP, HOST:PORT (127.0.0.1 only; needs --token-file). Off by default.")
    var listen: String?

    @Option(name: .long, help: "With --listen: a file (mode 0600) holding the bearer token clients must send.")
    var tokenFile: String?

    @Option(name: .long, help: "Largest request body, in bytes (k and m suffixes work; default 1m). Larger bodies get 413.")
    var maxBodySize: String = "1m"

    @Option(name: .long, help: "How long a policy confirmation waits for 'deskpilot confirm' before counting as no (default 5m).")
    var confirmTimeout: String = "5m"

    @Option(name: .long, help: "How long a model's call_user waits for 'deskpilot reply' before the job ends with exit 5 (default 10m).")
    var replyTimeout: String = "10m"

    @Option(name: .long, help: "Ended jobs to remember for status (default 200).")
    var keepJobs: Int = 200

    @Option(name: .long, help: "Connections open at once over all listeners (default 512, fewer when the open-file limit is low). Other uids may use all but the owner's per-peer share.")
    var maxConnections: Int?

    @Option(name: .long, help: "Connections open at once from one peer: a uid, or a TCP address whose uid the kernel does not tell (default 64).")
    var maxConnectionsPerPeer: Int?

    @Option(name: .long, help: "How long a request's line and headers may take from its first byte (on TCP: from connect until the token is shown) before 408 (default 10s).")
    var headerTimeout: String = "10s"

    @Option(name: .long, help: "How long a connection may stay silent, between requests or inside one, before it is closed (default 60s).")
    var idleTimeout: String = "60s"

    func validate() throws {
        if display != nil && headless { throw ValidationError("--display and --headless exclude each other") }
        if !headless && (displays != nil || screen != nil) {
            throw ValidationError("--displays and --screen only apply with --headless")
        }
        if let desktop {
            guard DesktopChoice(name: desktop) != nil else {
                throw ValidationError("--desktop wants \(DesktopChoice.names.joined(separator: " or ")) (got '\(desktop)')")
            }
            if !headless { throw ValidationError("--desktop only applies with --headless") }
        }
        if let displays, !(1...16).contains(displays) { throw ValidationError("--displays must be between 1 and 16") }
        if let screen, Size(parsing: screen) == nil {
            throw ValidationError("--screen wants WxH, e.g. 1920x1080 (got '\(screen)')")
        }
        if listen != nil && tokenFile == nil { throw ValidationError("--listen needs --token-file") }
        if tokenFile != nil && listen == nil { throw ValidationError("--token-file only applies with --listen") }
        if let listen, Self.parseListen(listen) == nil {
            throw ValidationError("--listen wants 127.0.0.1:PORT (a loopback IPv4 address and a port; got '\(listen)')")
        }
        if Self.parseBytes(maxBodySize) == nil { throw ValidationError("--max-body-size wants bytes such as 65536, 512k or 1m") }
        for (name, value) in [("--confirm-timeout", confirmTimeout), ("--reply-timeout", replyTimeout),
                              ("--header-timeout", headerTimeout), ("--idle-timeout", idleTimeout)]
        where DurationText.seconds(value).map({ $0 > 0 }) != true {
            throw ValidationError("\(name) wants a duration such as 90s or 10m (got '\(value)')")
        }
        if keepJobs < 1 { throw ValidationError("--keep-jobs must be at least 1") }
        if let maxConnections, maxConnections < 2 { throw ValidationError("--max-connections must be at least 2") }
        if let maxConnectionsPerPeer, maxConnectionsPerPeer < 1 {
            throw ValidationError("--max-connections-per-peer must be at least 1")
        }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let loadedPolicy = try PolicyLoader.load(nameOrPath: policy)
        var tcp: (host: String, port: UInt16, token: String)?
        if let listen, let tokenFile, let (host, port) = Self.parseListen(listen) {
            tcp = (host, port, try Self.readToken(tokenFile))
        }

        var owned: [X11DaemonDisplay] = []
        do {
            if headless {
                let size = screen.flatMap { Size(parsing: $0) } ?? Size(width: 1920, height: 1080)
                let choice = desktop.flatMap { DesktopChoice(name: $0) } ?? .bare
                for _ in 0..<(displays ?? 1) { owned.append(try X11DaemonDisplay(headless: size, desktop: choice)) }
            } else {
                owned.append(try X11DaemonDisplay(name: display))
            }
        } catch {
            for d in owned { d.shutdown() }
            throw error
        }

        let socketPath = SocketLocation.forDaemon(explicit: socket, display: headless ? nil : owned.first?.name,
                                                  environment: environment)
        let settings = DaemonSettings(
            policyName: policy, policy: loadedPolicy, traceDir: noTrace ? nil : (traceDir ?? Self.defaultTraceDir(environment)),
            maxBodyBytes: Self.parseBytes(maxBodySize) ?? 1 << 20,
            confirmTimeout: DurationText.seconds(confirmTimeout) ?? 300, replyTimeout: DurationText.seconds(replyTimeout) ?? 600,
            version: Deskpilot.version, headless: headless, environment: environment, keepFinished: keepJobs,
            useProcessStopFlag: true, localPlanning: LocalDialectPlanning())
        var settingsWithLimits = settings
        settingsWithLimits.listenerLimits = listenerLimits()
        let service = DaemonService(displays: owned, settings: settingsWithLimits, log: DaemonLog.write)
        // Signalled once the daemon has shut down, for Cleanup's watchdog thread (which blocks on it).
        let finished = DispatchSemaphore(value: 0)

        let (signals, signalled) = AsyncStream.makeStream(of: String.self)
        var sources: [any DispatchSourceSignal] = []
        // Cleanup already set these signals to SIG_IGN before libdispatch installed its handler; setting
        // SIG_IGN again here would replace that handler and the signals would be lost.
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            let name = sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "SIGHUP"
            source.setEventHandler { signalled.yield(name) }
            source.resume()
            sources.append(source)
        }

        do {
            try await service.start(socketPath: socketPath, tcp: tcp)
        } catch {
            for d in owned { d.shutdown() }
            throw error
        }
        // SIGINT/SIGTERM also raise the stop flag (Cleanup), which stops the running jobs at their next safe
        // point; the loop below shuts the daemon down in order. Cleanup's watchdog runs the registered
        // action after its grace period: it waits for this shutdown and exits 0, so a slow stop is not 130.
        Cleanup.shared.register {
            finished.wait()
            Glibc.exit(0)
        }
        let registration = try? RunRegistry.current(environment: environment).register(RunRegistration(
            pid: getpid(), display: owned.map(\.name).joined(separator: ","), kind: .daemon, summary: socketPath))
        DaemonLog.write("serving \(owned.map(\.name).joined(separator: ", ")) on \(socketPath) (policy \(policy)"
            + (settings.traceDir.map { ", traces in \($0)" } ?? ", no traces") + ")")
        for await name in signals {
            await service.shutdown(reason: "received \(name)")
            break
        }
        finished.signal()
        registration?.remove()
        withExtendedLifetime(sources) {}
        Cleanup.shared.exitProcess(0)
    }

    /// The caps and timeouts the flags ask for. Caps not given are fitted to the open-file limit, so that
    /// they refuse connections before accept runs out of descriptors; caps given are used as given.
    func listenerLimits() -> ListenerLimits {
        var limits = ListenerLimits(headerTimeout: DurationText.seconds(headerTimeout) ?? ListenerLimits.defaultHeaderTimeout,
                                    idleTimeout: DurationText.seconds(idleTimeout) ?? ListenerLimits.defaultIdleTimeout)
        var files = rlimit()
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &files) == 0, files.rlim_cur < rlim_t(Int32.max) {
            limits = limits.fitted(toDescriptorLimit: Int(clamping: files.rlim_cur))
        }
        if let maxConnections { limits.maxConnections = maxConnections }
        if let maxConnectionsPerPeer { limits.maxConnectionsPerPeer = maxConnectionsPerPeer }
        return limits
    }

    /// `127.0.0.1:8765` → host and port; only loopback IPv4 addresses.
    static func parseListen(_ text: String) -> (String, UInt16)? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let port = UInt16(parts[1]) else { return nil }
        let host = parts[0] == "localhost" ? "127.0.0.1" : String(parts[0])
        let octets = host.split(separator: ".").compactMap { UInt8($0) }
        guard octets.count == 4, octets[0] == 127 else { return nil }
        return (host, port)
    }

    /// `65536`, `512k`, `1m`.
    static func parseBytes(_ text: String) -> Int? {
        let t = text.lowercased().trimmingCharacters(in: .whitespaces)
        var factor = 1
        var digits = Substring(t)
        if t.hasSuffix("k") { factor = 1024; digits = digits.dropLast() }
        if t.hasSuffix("m") { factor = 1024 * 1024; digits = digits.dropLast() }
        guard let n = Int(digits), n > 0 else { return nil }
        return n * factor
    }

    /// The token from a private file.
    static func readToken(_ path: String) throws -> String {
        var info = stat()
        guard stat(path, &info) == 0 else { throw EnvironmentError("cannot read the token file \(path): it does not exist") }
        guard info.st_mode & 0o077 == 0 else {
            throw EnvironmentError("the token file \(path) can be read by other users; run chmod 600 \(path)")
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw EnvironmentError("cannot read the token file \(path)")
        }
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard token.count >= 16 else { throw EnvironmentError("the token in \(path) is shorter than 16 characters") }
        return token
    }

    /// `$XDG_STATE_HOME/deskpilot/traces`, else `~/.local/state/deskpilot/traces`.
    static func defaultTraceDir(_ environment: [String: String]) -> String {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") { return state + "/deskpilot/traces" }
        return (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state/deskpilot/traces"
    }
}

