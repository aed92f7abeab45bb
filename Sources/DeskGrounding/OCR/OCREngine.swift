import CTesseract
import DeskCore
import Foundation

/// One Tesseract instance (`TessBaseAPI`), the only place the C API is used.
///
/// An engine is used by one thread at a time: ``OCREnginePool`` gives each worker its own. Loading the
/// language models costs tens of milliseconds and megabytes, so engines are created only when OCR is first
/// needed.
// Unchecked because the Tesseract handle is not thread-safe and only ever used by one thread at a time:
// the pool hands engine i to worker i of one `recognize`, and its callers are serialised (TextLocator's
// lock). It must cross threads (made on one worker, kept in the pool for the next call), so it cannot be
// a plain non-Sendable class, and no lock is needed around a handle nobody shares.
final class OCREngine: @unchecked Sendable {
    /// A word as Tesseract reports it, in the pixels of the image it was given.
    struct Word: Sendable, Hashable {
        var text: String
        /// Left, top, width, height in image pixels.
        var box: Rect
        /// 0–100.
        var confidence: Double
        /// Which text line of the image the word is on (0-based, in Tesseract's reading order).
        var line: Int
    }

    /// How Tesseract should read an image.
    enum Layout: Sendable, Hashable {
        /// One line of text.
        case line
        /// A block of lines of the same kind.
        case block
        /// Text anywhere, in no particular order (UI screens).
        case sparse
        /// One word (the second pass on a small label).
        case word
    }

    private let handle: OpaquePointer

    /// Loads `languages` (`eng`, `eng+deu`) from `dataPath`.
    init(languages: String, dataPath: String) throws {
        Self.prepareProcess()
        if let failure = deskpilot_tesseract_load() {
            throw EnvironmentError("\(String(cString: failure)) (Debian package libtesseract5)")
        }
        guard let handle = TessBaseAPICreate() else {
            throw EnvironmentError("cannot create a Tesseract instance (out of memory?)")
        }
        // Messages go nowhere instead of stderr, before Init prints any.
        _ = TessBaseAPISetVariable(handle, "debug_file", "/dev/null")
        guard TessBaseAPIInit2(handle, dataPath, languages, OEM_LSTM_ONLY) == 0 else {
            TessBaseAPIDelete(handle)
            throw EnvironmentError("Tesseract cannot load the language data '\(languages)' from \(dataPath)")
        }
        // Regions are already the right polarity; trying the inverted image again doubles the work on
        // low-confidence lines for nothing.
        _ = TessBaseAPISetVariable(handle, "tessedit_do_invert", "0")
        _ = TessBaseAPISetVariable(handle, "debug_file", "/dev/null")
        self.handle = handle
    }

    deinit {
        TessBaseAPIEnd(handle)
        TessBaseAPIDelete(handle)
    }

    /// Recognises `image` (dark text on a light background) read as `layout`; `dpi` is the image's
    /// effective resolution (96 times any enlargement), which Tesseract's size heuristics use.
    func recognize(_ image: GrayImage, layout: Layout, dpi: Int) -> [Word] {
        guard image.width > 0, image.height > 0 else { return [] }
        let mode: TessPageSegMode = switch layout {
        case .line: PSM_SINGLE_LINE
        case .block: PSM_SINGLE_BLOCK
        case .sparse: PSM_SPARSE_TEXT
        case .word: PSM_SINGLE_WORD
        }
        TessBaseAPISetPageSegMode(handle, mode)
        image.pixels.withUnsafeBufferPointer { buffer in
            TessBaseAPISetImage(handle, buffer.baseAddress, Int32(image.width), Int32(image.height), 1, Int32(image.width))
        }
        TessBaseAPISetSourceResolution(handle, Int32(dpi))
        defer { TessBaseAPIClear(handle) }
        // Per thread (see the shim): this worker runs Tesseract single-threaded.
        _ = deskpilot_disable_openmp_parallelism()
        guard TessBaseAPIRecognize(handle, nil) == 0, let iterator = TessBaseAPIGetIterator(handle) else { return [] }
        defer { TessResultIteratorDelete(iterator) }
        let page = TessResultIteratorGetPageIterator(iterator)
        var words: [Word] = []
        var line = -1
        repeat {
            if TessPageIteratorIsAtBeginningOf(page, RIL_TEXTLINE) != 0 { line += 1 }
            guard let raw = TessResultIteratorGetUTF8Text(iterator, RIL_WORD) else { continue }
            let text = String(cString: raw).trimmingCharacters(in: .whitespacesAndNewlines)
            TessDeleteText(raw)
            var left: Int32 = 0, top: Int32 = 0, right: Int32 = 0, bottom: Int32 = 0
            guard !text.isEmpty,
                  TessPageIteratorBoundingBox(page, RIL_WORD, &left, &top, &right, &bottom) != 0 else { continue }
            let confidence = Double(TessResultIteratorConfidence(iterator, RIL_WORD))
            words.append(Word(text: text, box: Rect(x: Int(left), y: Int(top), width: Int(right - left),
                                                    height: Int(bottom - top)),
                              confidence: max(0, min(100, confidence)), line: max(0, line)))
        } while TessResultIteratorNext(iterator, RIL_WORD) != 0
        return words
    }

    /// Process-wide settings made once, before the first engine loads.
    private static let processPrepared: Bool = {
        // For child processes (a `tesseract` peer in benchmarks); this process's OpenMP read its
        // environment at load time, so `recognize` also switches parallel regions off per thread.
        setenv("OMP_THREAD_LIMIT", "1", 1)
        return true
    }()

    private static func prepareProcess() { _ = processPrepared }

    /// Where the `*.traineddata` files are (``TessdataLocation``); `nil` when none has the first requested
    /// language (else `eng`).
    static func dataPath(for languages: [String]) -> String? {
        TessdataLocation.find(language: languages.first ?? "eng", environment: ProcessInfo.processInfo.environment) {
            FileManager.default.fileExists(atPath: $0)
        }
    }
}
