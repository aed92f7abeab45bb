import DeskAgent
import DeskCore
import Foundation
import Synchronization

/// Keeps a running eval's `progress.json` up to date: written when the run starts, after every finished
/// attempt, and once more when it ends (finished or stopped). A write that fails is reported once on
/// stderr and does not stop the run: the results still count.
final class ProgressFile: Sendable {
    private let directory: String
    private let state: Mutex<(progress: EvalShardProgress, warned: Bool)>

    init(directory: String, progress: EvalShardProgress) {
        self.directory = directory
        state = Mutex((progress, false))
    }

    /// Writes the current state.
    func start() { update { _ in } }

    /// Counts one finished attempt and rewrites the file.
    func record(_ status: EvalRunStatus) { update { $0.record(status, at: Date()) } }

    /// Marks the run finished (every attempt ran) or stopped, and rewrites the file.
    func end(stopped: Bool) {
        update {
            $0.state = stopped ? .stopped : .finished
            $0.updated = Date()
        }
    }

    private func update(_ change: (inout EvalShardProgress) -> Void) {
        state.withLock { (s: inout (progress: EvalShardProgress, warned: Bool)) in
            change(&s.progress)
            do {
                try EvalResultsStore.writeProgress(s.progress, to: directory)
            } catch {
                if !s.warned { Eval.stderr("eval: \(error) (progress for eval --status)") }
                s.warned = true
            }
        }
    }
}
