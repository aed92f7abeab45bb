import DeskCore
import Dispatch
import Foundation
import Synchronization

/// Writes one run's trace folder: `trace.jsonl`, `frames/`, `annotated/`, `result.json`, `report.html`.
///
/// Owned by one run. Every event is redacted, written as one line and fsynced before ``record(_:)``
/// returns, so a run killed at any moment leaves a `trace.jsonl` whose complete lines all parse.
/// Annotated frames are encoded on a background queue so drawing and PNG encoding never delay the
/// next step; ``finish()`` waits for them, then writes `result.json` and `report.html`.
public final class TraceRecorder: Sendable {
    public let runID: RunID
    /// The run folder, `<parent>/<run-id>`.
    public let directory: URL

    private let redactor: @Sendable (String) -> String
    /// What changes as the run records; one lock because the loop records while the background queue
    /// reports errors.
    private struct State {
        var handle: FileHandle?
        var events: [TraceEvent] = []
        var backgroundErrors: [String] = []
        var result: TraceResult?
    }
    private let state = Mutex(State())
    private let annotateQueue = DispatchQueue(label: "deskpilot.trace.annotate", qos: .utility)
    private let pending = DispatchGroup()

    /// Creates `<parent>/<run-id>/` with `frames/` and `annotated/`, and an empty `trace.jsonl`.
    ///
    /// `parent` is made if missing. `redactor` is applied to every text field of every event (and should
    /// replace secrets and policy `redact` matches with `[redacted]`).
    public init(parent: String, runID: RunID = .generate(),
                redactor: @escaping @Sendable (String) -> String = { $0 }) throws {
        self.runID = runID
        self.redactor = redactor
        let dir = URL(fileURLWithPath: parent, isDirectory: true).appendingPathComponent(runID.rawValue, isDirectory: true)
        directory = dir
        let fm = FileManager.default
        if fm.fileExists(atPath: dir.path) {
            throw TraceError(path: dir.path, reason: "the run folder already exists")
        }
        do {
            try fm.createDirectory(at: dir.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw TraceError(path: parent, reason: Self.reason(error))
        }
        for path in [dir] + [TraceFiles.frames, TraceFiles.annotated].map({ dir.appendingPathComponent($0, isDirectory: true) }) {
            do {
                try PrivateFile.makeFolder(path)
            } catch {
                throw TraceError(path: path.path, reason: Self.reason(error))
            }
        }
        let events = dir.appendingPathComponent(TraceFiles.events)
        guard PrivateFile.create(events) else {
            throw TraceError(path: events.path, reason: "cannot create the file")
        }
        do {
            let handle = try FileHandle(forWritingTo: events)
            state.withLock { $0.handle = handle }
        } catch {
            throw TraceError(path: events.path, reason: Self.reason(error))
        }
    }

    /// Same, with a run id given as text (validated: `YYYYmmdd-HHMMSS-xxxx`).
    public convenience init(parent: String, runID: String,
                            redactor: @escaping @Sendable (String) -> String = { $0 }) throws {
        guard let id = RunID(runID) else {
            throw InputError("not a run id (YYYYmmdd-HHMMSS-xxxx): \(runID)")
        }
        try self.init(parent: parent, runID: id, redactor: redactor)
    }

    deinit {
        try? state.withLock { $0.handle }?.close()
    }

    /// Redacts `event`, appends it as one line to `trace.jsonl` and fsyncs.
    ///
    /// Returns the event as written (redacted), which is what the report will show.
    @discardableResult
    public func record(_ event: TraceEvent) throws -> TraceEvent {
        let redacted = event.truncatingModelText().redacted(with: redactor)
        let path = directory.appendingPathComponent(TraceFiles.events).path
        var line: Data
        do {
            line = Data(try TraceCoding.line(redacted).utf8)
        } catch {
            throw TraceError(path: path, reason: "cannot encode a \(event.type) event: \(error)")
        }
        line.append(UInt8(ascii: "\n"))
        try state.withLock { (state) throws(TraceError) in
            guard let handle = state.handle else { throw TraceError(path: path, reason: "the trace is already finished") }
            do {
                // One write per line: a kill can cut only the line being written, never an earlier one.
                try handle.write(contentsOf: line)
                try handle.synchronize()
            } catch {
                throw TraceError(path: path, reason: Self.reason(error))
            }
            state.events.append(redacted)
        }
        return redacted
    }

    /// Writes the PNG the model saw for `step` (the bytes already encoded for the request) and returns
    /// its path relative to the run folder (`frames/0001.png`), as the step event records it.
    @discardableResult
    public func writeFrame(step: Int, png: [UInt8]) throws -> String {
        let relative = TraceFiles.frame(step: step)
        let url = directory.appendingPathComponent(relative)
        do {
            try PrivateFile.write(Data(png), to: url)
        } catch {
            throw TraceError(path: url.path, reason: Self.reason(error))
        }
        return relative
    }

    /// Writes the screen after the run's last action (`frames/final.png`) and returns its relative path.
    @discardableResult
    public func writeFinalFrame(png: [UInt8]) throws -> String {
        let url = directory.appendingPathComponent(TraceFiles.finalFrame)
        do {
            try Data(png).write(to: url)
        } catch {
            throw TraceError(path: url.path, reason: Self.reason(error))
        }
        return TraceFiles.finalFrame
    }

    /// Encodes the annotated frame for `step` on a background queue and writes it; returns its relative
    /// path (`annotated/0001.png`) at once. When `encode` returns nil nothing is written and the report
    /// shows the raw frame instead; a write failure is kept for ``backgroundFailures``.
    @discardableResult
    public func writeAnnotated(step: Int, encode: @escaping @Sendable () -> [UInt8]?) -> String {
        let relative = TraceFiles.annotated(step: step)
        let url = directory.appendingPathComponent(relative)
        pending.enter()
        annotateQueue.async { [self] in
            defer { pending.leave() }
            guard let bytes = encode() else { return }
            do {
                try PrivateFile.write(Data(bytes), to: url)
            } catch {
                let failure = "\(url.path): \(Self.reason(error))"
                state.withLock { $0.backgroundErrors.append(failure) }
            }
        }
        return relative
    }

    /// Events recorded so far, redacted as written.
    public var recordedEvents: [TraceEvent] {
        state.withLock { $0.events }
    }

    /// Annotated frames that could not be written (each `path: reason`).
    public var backgroundFailures: [String] {
        state.withLock { $0.backgroundErrors }
    }

    /// Waits for annotated frames, closes `trace.jsonl`, writes `result.json` and `report.html` (its frames
    /// scaled down with `codec` when one is given).
    ///
    /// Call once, after the `run_end` event; calling again returns the same result. A run finished without
    /// `run_end` is reported as interrupted.
    @discardableResult
    public func finish(codec: (any FrameCodec)? = nil) throws -> TraceResult {
        pending.wait()
        let (finished, handle, events) = state.withLock { state -> (TraceResult?, FileHandle?, [TraceEvent]) in
            if let result = state.result { return (result, nil, []) }
            defer { state.handle = nil }
            return (nil, state.handle, state.events)
        }
        if let finished { return finished }
        try? handle?.close()

        let summary = TraceSummary(events: events)
        let result = TraceResult(summary: summary)
        let resultURL = directory.appendingPathComponent(TraceFiles.result)
        do {
            let encoder = TraceCoding.encoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            try PrivateFile.write(try encoder.encode(result), to: resultURL)
        } catch {
            throw TraceError(path: resultURL.path, reason: Self.reason(error))
        }
        try ReportWriter.write(summary: summary, to: directory, codec: codec)
        state.withLock { $0.result = result }
        return result
    }

    static func reason(_ error: any Error) -> String {
        if let e = error as? CocoaError, let underlying = e.underlying as? POSIXError {
            return underlying.localizedDescription
        }
        return (error as NSError).localizedDescription
    }
}
