import DeskCore
import Foundation
import Synchronization

/// A few Tesseract engines that read prepared regions in parallel, one engine per worker thread.
///
/// Tesseract's own OpenMP threads are switched off (see ``OCREngine``): on two cores they contend with each
/// other, while independent regions on independent engines scale. Engines load on first use, each on its
/// own worker, so the two loads overlap.
final class OCREnginePool: Sendable {
    let languages: [String]
    let workers: Int
    private let engines: Mutex<[OCREngine?]>

    init(languages: [String], workers: Int) {
        self.languages = languages
        self.workers = max(1, workers)
        engines = Mutex(Array(repeating: nil, count: max(1, workers)))
    }

    /// The default number of workers: the processors available, at most 4.
    static var defaultWorkers: Int { max(1, min(4, ProcessInfo.processInfo.activeProcessorCount)) }

    /// True once an engine is loaded (the daemon stays small until OCR is first used).
    var isLoaded: Bool {
        engines.withLock { $0.contains { $0 != nil } }
    }

    /// Lines at most this tall (source pixels) that read with low confidence are read again, larger.
    static let retryLineHeight = 14
    /// Mean word confidence (0–100) below which a small line is read again.
    static let retryConfidence = 75.0

    /// Reads every job; the result at index i belongs to `jobs[i]`, with boxes in the job's crop pixels.
    func recognize(_ jobs: [RegionPreparer.Prepared]) throws -> [[OCREngine.Word]] {
        guard !jobs.isEmpty else { return [] }
        let dataPath = try resolveDataPath()
        let joined = languages.joined(separator: "+")
        // Largest first, so a big region does not start last and run alone.
        let order = jobs.indices.sorted { jobs[$0].image.pixels.count > jobs[$1].image.pixels.count }
        let state = WorkState(count: jobs.count)
        let active = min(workers, jobs.count)
        DispatchQueue.concurrentPerform(iterations: active) { worker in
            let engine: OCREngine
            do {
                engine = try self.engine(worker, languages: joined, dataPath: dataPath)
            } catch {
                state.fail(error)
                return
            }
            while let next = state.take() {
                state.store(Self.read(jobs[order[next]], with: engine), at: order[next])
            }
        }
        if let error = state.error { throw error }
        return state.results
    }

    /// Reads one job; a small line read with low confidence is read again at a larger scale and the
    /// more confident reading kept (tiny bitmap fonts gain most from enlarging).
    static func read(_ job: RegionPreparer.Prepared, with engine: OCREngine) -> [OCREngine.Word] {
        func dpi(_ scale: Double) -> Int { Int(min(600, max(70, 96 * scale))) }
        func mean(_ words: [OCREngine.Word]) -> Double {
            words.isEmpty ? 0 : words.map(\.confidence).reduce(0, +) / Double(words.count)
        }
        var words = engine.recognize(job.image, layout: job.layout, dpi: dpi(job.scale))
        var scale = job.scale
        if job.lineHeight <= retryLineHeight && mean(words) < retryConfidence {
            let larger = min(5, max(job.scale * 1.6, 3))
            let again = engine.recognize(RegionPreparer.Prepared.render(job.normalized, scale: larger, border: job.border),
                                         layout: job.layout, dpi: dpi(larger))
            if mean(again) > mean(words) {
                words = again
                scale = larger
            }
        }
        return words.map { w in
            var moved = w
            moved.box = job.cropBox(w.box, scale: scale)
            return moved
        }
    }

    private func engine(_ index: Int, languages: String, dataPath: String) throws -> OCREngine {
        if let engine = engines.withLock({ $0[index] }) { return engine }
        // Loaded outside the lock, so the workers' loads overlap.
        let engine = try OCREngine(languages: languages, dataPath: dataPath)
        engines.withLock { $0[index] = engine }
        return engine
    }

    private func resolveDataPath() throws -> String {
        guard let path = OCREngine.dataPath(for: languages) else {
            let first = languages.first ?? "eng"
            throw EnvironmentError("Tesseract language data '\(first).traineddata' not found (set TESSDATA_PREFIX, "
                                   + "or install the Debian package tesseract-ocr-\(first))")
        }
        let fm = FileManager.default
        for language in languages where !fm.fileExists(atPath: (path as NSString).appendingPathComponent("\(language).traineddata")) {
            throw EnvironmentError("Tesseract language '\(language)' is not installed in \(path) "
                                   + "(Debian package tesseract-ocr-\(language))")
        }
        return path
    }

    /// The shared queue of one `recognize` call.
    private final class WorkState: Sendable {
        private struct Progress {
            var next = 0
            var results: [[OCREngine.Word]]
            var error: (any Error)?
        }
        private let count: Int
        private let progress: Mutex<Progress>
        var results: [[OCREngine.Word]] { progress.withLock { $0.results } }
        var error: (any Error)? { progress.withLock { $0.error } }

        init(count: Int) {
            self.count = count
            progress = Mutex(Progress(results: Array(repeating: [], count: count)))
        }

        func take() -> Int? {
            progress.withLock { progress in
                guard progress.error == nil, progress.next < count else { return nil }
                progress.next += 1
                return progress.next - 1
            }
        }

        func store(_ words: [OCREngine.Word], at index: Int) {
            progress.withLock { $0.results[index] = words }
        }

        func fail(_ error: any Error) {
            progress.withLock { if $0.error == nil { $0.error = error } }
        }
    }
}
