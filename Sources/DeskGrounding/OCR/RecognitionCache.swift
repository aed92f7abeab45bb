/// What OCR read from prepared regions, keyed by the prepared pixels: a region that looks the same as
/// before is not read again, wherever it now is on the screen.
struct RecognitionCache: Sendable {
    /// Entries kept; the least recently used go first.
    var capacity: Int

    private var entries: [UInt64: (words: [OCREngine.Word], used: UInt64)] = [:]
    private var clock: UInt64 = 0

    init(capacity: Int = 4096) {
        self.capacity = max(1, capacity)
    }

    var count: Int { entries.count }

    mutating func lookup(_ key: UInt64) -> [OCREngine.Word]? {
        guard let entry = entries[key] else { return nil }
        clock += 1
        entries[key] = (entry.words, clock)
        return entry.words
    }

    mutating func store(_ words: [OCREngine.Word], for key: UInt64) {
        clock += 1
        entries[key] = (words, clock)
        if entries.count > capacity {
            // Evict the oldest quarter at once, so eviction stays rare.
            let victims = entries.sorted { $0.value.used < $1.value.used }.prefix(max(1, capacity / 4))
            for (key, _) in victims { entries.removeValue(forKey: key) }
        }
    }

    mutating func removeAll() {
        entries.removeAll()
    }
}
