/// Where Tesseract's `*.traineddata` files are looked for: `TESSDATA_PREFIX` (itself and its `tessdata/`)
/// first, then the Debian folders (`tesseract-ocr-eng` installs into `/usr/share/tesseract-ocr/5/tessdata`)
/// and a source build's. Shared by the OCR engine and `deskpilot doctor`.
public enum TessdataLocation {
    /// The folders to try, in order.
    public static func candidates(environment: [String: String]) -> [String] {
        var candidates: [String] = []
        if let prefix = environment["TESSDATA_PREFIX"], !prefix.isEmpty {
            var p = prefix
            while p.count > 1 && p.hasSuffix("/") { p.removeLast() }
            candidates += [p, p + "/tessdata"]
        }
        return candidates + ["/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata",
                             "/usr/share/tessdata", "/usr/local/share/tessdata"]
    }

    /// The first candidate holding `<language>.traineddata`, asking `exists` about each file.
    public static func find(language: String, environment: [String: String], exists: (String) -> Bool) -> String? {
        candidates(environment: environment).first { exists("\($0)/\(language).traineddata") }
    }
}
