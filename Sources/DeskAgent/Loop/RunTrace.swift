import DeskCore
import Foundation
import Synchronization

/// The run's trace as the loop and the runner write it: events, frames and annotated frames, or nothing
/// when the run keeps no trace. Write failures are thrown (exit 3): a run must not go on unrecorded.
public final class RunTrace: Sendable {
    public let recorder: TraceRecorder?
    let codec: any FrameCodec
    /// Stage time spent writing the trace for the current step, milliseconds.
    public var lastWriteMs: Double { lastWrite.withLock { $0 } }
    private let lastWrite = Mutex<Double>(0)

    public init(recorder: TraceRecorder?, codec: any FrameCodec) {
        self.recorder = recorder
        self.codec = codec
    }

    /// A run without a trace.
    public static func none(codec: any FrameCodec) -> RunTrace { RunTrace(recorder: nil, codec: codec) }

    public func record(_ event: TraceEvent) throws {
        try recorder?.record(event)
    }

    /// Writes the frame of `step`: `png` when the caller already encoded it for a request, else encodes
    /// `frame`. Returns the path relative to the run folder.
    public func writeFrame(step: Int, frame: Frame?, png: [UInt8]? = nil) throws -> String? {
        guard let recorder else { return nil }
        let start = MonotonicClock.now()
        defer { lastWrite.withLock { $0 = (MonotonicClock.now() - start) * 1000 } }
        if let png { return try recorder.writeFrame(step: step, png: png) }
        guard let frame else { return nil }
        return try recorder.writeFrame(step: step, png: try codec.encodePNG(frame))
    }

    /// Queues the annotated frame of `step` (drawn and encoded in the background).
    public func writeAnnotated(step: Int, frame: Frame?, actions: [ScreenAction]) -> String? {
        guard let recorder, let frame, !actions.isEmpty else { return nil }
        let codec = self.codec
        return recorder.writeAnnotated(step: step) {
            var drawn = frame
            for action in actions { drawn = codec.annotate(drawn, action: action) }
            return try? codec.encodePNG(drawn)
        }
    }

    /// Writes `run_end` and finishes the folder (`result.json`, `report.html`). `finalScreen` is the screen
    /// after the last action, kept as `frames/final.png` (what an OSWorld export shows after its last step).
    public func end(_ event: RunEndEvent, finalScreen: Frame? = nil) throws {
        guard let recorder else { return }
        var event = event
        if let finalScreen { event.finalFrame = try recorder.writeFinalFrame(png: try codec.encodePNG(finalScreen)) }
        try recorder.record(.runEnd(event))
        try recorder.finish(codec: codec)
    }

    /// The run folder, when there is a trace.
    public var directory: String? { recorder?.directory.path }
}
