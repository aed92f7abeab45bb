import DeskCore

/// The input of one job: every action first passes the job's safe point (stop, pause), and long text is
/// typed in short pieces with a safe point between them, so `DELETE /jobs/{id}` ends even a long `type`
/// promptly, with every key released, and a pause holds it between two pieces.
final class JobPerformer: ActionPerformer, Sendable {
    let inner: any ActionPerformer
    let job: Job
    /// Characters typed between two stop checks.
    let typingChunk: Int

    init(inner: any ActionPerformer, job: Job, typingChunk: Int = 4) {
        self.inner = inner
        self.job = job
        self.typingChunk = max(1, typingChunk)
    }

    func perform(_ action: ScreenAction) throws {
        try checkpoint()
        guard case .type(let text) = action, text.count > typingChunk else {
            try inner.perform(action)
            return
        }
        var rest = Substring(text)
        while !rest.isEmpty {
            let piece = rest.prefix(typingChunk)
            rest = rest.dropFirst(piece.count)
            try inner.perform(.type(text: String(piece)))
            // A stop ends the typing here; a pause holds it here and goes on with the next piece.
            if !rest.isEmpty { try checkpoint() }
        }
    }

    func focus(window: UInt) throws {
        try checkpoint()
        try inner.focus(window: window)
    }

    func releaseAll() { inner.releaseAll() }

    var keptKeyNames: [String] { inner.keptKeyNames }

    /// The job's safe point; held input is released before pausing and when stopping.
    func checkpoint() throws(StoppedError) {
        do {
            try job.checkpoint(onPause: { [inner] in inner.releaseAll() })
        } catch {
            inner.releaseAll()
            throw error
        }
    }
}
