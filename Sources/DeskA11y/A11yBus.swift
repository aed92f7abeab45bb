import CAtspi
import DeskCore
import Foundation
import Synchronization

/// The AT-SPI accessibility bus of one X display: reads the tree of every application on it.
///
/// libatspi keeps one connection per process, so there is one `A11yBus` per process too (``connect(display:callTimeout:)``
/// hands out the same one for the same display and refuses another display). All libatspi calls run on one
/// dedicated thread; each D-Bus call is bounded by `callTimeout`, and a caller waits at most
/// ``walkTimeout`` for a whole walk, so an application that hangs cannot hang deskpilot.
///
/// libatspi's own cache is off (it is only kept up to date while a GLib main loop dispatches events, which
/// deskpilot does not run), so every walk reads what the applications say now.
public final class A11yBus: A11yTreeSource, Sendable {
    /// The display (`:5`) whose bus this is.
    public let display: String
    /// Longest wait for one D-Bus call, seconds.
    public let callTimeout: Double
    /// Longest a caller waits for a whole walk, seconds.
    public let walkTimeout: Double
    private let worker: A11yWorker

    private static let shared = Mutex<A11yBus?>(nil)

    private init(display: String, callTimeout: Double, walkTimeout: Double, worker: A11yWorker) {
        self.display = display
        self.callTimeout = callTimeout
        self.walkTimeout = walkTimeout
        self.worker = worker
    }

    /// Connects to the accessibility bus of `display` (found through the display's `AT_SPI_BUS` root-window
    /// property, else the session bus's `org.a11y.Bus`), or returns the connection already open for it.
    /// - Parameters:
    ///   - busAddress: the bus address, when the caller knows it (it wins over the lookups).
    ///   - callTimeout: seconds one D-Bus call may take before its application counts as not answering.
    /// - Throws: `EnvironmentError` when there is no bus, or this process already reads another display's.
    public static func connect(display: String, busAddress: String? = nil, callTimeout: Double = 1.0,
                               walkTimeout: Double = 15) throws -> A11yBus {
        try shared.withLock { current in
            if let current {
                guard current.display == display else {
                    throw EnvironmentError("this process already reads the accessibility bus of \(current.display); it cannot also read \(display)'s")
                }
                return current
            }
            let worker = A11yWorker(name: "deskpilot-atspi")
            let timeoutMs = Int32(max(50, callTimeout * 1000))
            let status: Int32 = try worker.run(timeout: max(5, callTimeout * 4), what: "the connection on \(display)") {
                // libatspi reads the bus address from the environment and the display named by DISPLAY.
                setenv("DISPLAY", display, 1)
                if let busAddress { setenv("AT_SPI_BUS_ADDRESS", busAddress, 1) }
                // No grace period for applications that just started: every call has the same bound.
                atspi_set_timeout(timeoutMs, 0)
                return atspi_init()
            }
            guard status == 0 || status == 1 else {
                throw EnvironmentError("no accessibility bus on \(display) (atspi_init returned \(status)); start at-spi-bus-launcher in the display's session (see README: accessibility)")
            }
            let bus = A11yBus(display: display, callTimeout: callTimeout, walkTimeout: walkTimeout, worker: worker)
            current = bus
            return bus
        }
    }

    /// Walks every application's windows on the worker thread and waits for the tree.
    /// - Parameters:
    ///   - all: every node, not only what is showing on screen.
    ///   - maxDepth: levels below each window (nil: all).
    /// - Throws: `EnvironmentError` when the walk did not finish within ``walkTimeout``.
    ///   - bulk: read applications through their cache in pipelined batches where they have one (false walks
    ///     every node call by call, the slower way every toolkit answers).
    public func walk(all: Bool, maxDepth: Int?, bulk: Bool = true) throws -> A11yTree {
        var chosen = self.options(all: all, maxDepth: maxDepth, budget: walkTimeout * 0.8)
        if !bulk { chosen.bulk = false }
        let options = chosen
        return try worker.run(timeout: walkTimeout, what: "a tree walk on \(display)") {
            AtspiWalker(options: options).walk()
        }
    }

    public func walk(all: Bool) throws -> A11yTree { try walk(all: all, maxDepth: nil) }

    /// ``walk(all:maxDepth:)`` for async callers (no pool thread waits on the bus).
    public func walk(all: Bool, maxDepth: Int?) async throws -> A11yTree {
        let options = self.options(all: all, maxDepth: maxDepth, budget: walkTimeout * 0.8)
        return try await worker.run(timeout: walkTimeout, what: "a tree walk on \(display)") {
            AtspiWalker(options: options).walk()
        }
    }

    private func options(all: Bool, maxDepth: Int?, budget: Double) -> AtspiWalker.Options {
        var options = AtspiWalker.Options()
        options.all = all
        options.maxDepth = maxDepth
        options.budget = budget
        options.callTimeoutMs = Int32(max(50, callTimeout * 1000))
        return options
    }
}
