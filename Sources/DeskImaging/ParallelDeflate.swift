internal import CPNG
import DeskCore
import Foundation

/// A zlib stream compressed in independent pieces on several cores (the pigz technique).
///
/// The data is produced piece by piece by a `fill` closure (for PNG: a band of scanlines, converted from
/// the frame's pixel layout inside the worker, so conversion is parallel too). Each piece is raw deflate
/// ended with a sync flush (byte-aligned, not final); the last one ends the stream. Pieces do not share a
/// dictionary, which costs well under 1 % of size on screen images split in a few pieces, and the Adler-32
/// of the whole is combined from the pieces'. The result is one ordinary zlib stream, so a PNG's single
/// IDAT stays standard.
enum ParallelDeflate {
    /// Below this much data, one piece is faster than spreading the work.
    static let minimumParallelBytes = 1 << 20

    /// Compresses `units` units of `unitBytes` bytes each (PNG rows); `fill(range, buffer)` writes units
    /// `range` into `buffer`. Returns nil when zlib fails.
    static func compress(units: Int, unitBytes: Int, level: Int32,
                         fill: @Sendable (Range<Int>, UnsafeMutablePointer<UInt8>) -> Void) -> [UInt8]? {
        let total = units * unitBytes
        let wanted = total >= minimumParallelBytes ? min(ProcessInfo.processInfo.activeProcessorCount, 4) : 1
        let pieces = max(1, min(wanted, units))
        let base = units / pieces
        let ranges = (0..<pieces).map { i in (i * base)..<(i == pieces - 1 ? units : (i + 1) * base) }
        nonisolated(unsafe) var outputs = [[UInt8]?](repeating: nil, count: pieces)
        nonisolated(unsafe) var adlers = [uLong](repeating: 1, count: pieces)
        outputs.withUnsafeMutableBufferPointer { outBuffer in
            adlers.withUnsafeMutableBufferPointer { adlerBuffer in
                nonisolated(unsafe) let outPtr = outBuffer
                nonisolated(unsafe) let adlerPtr = adlerBuffer
                DispatchQueue.concurrentPerform(iterations: pieces) { i in
                    let piece = deflatePiece(ranges[i], unitBytes: unitBytes, level: level, last: i == pieces - 1,
                                             fill: fill)
                    outPtr[i] = piece?.data
                    adlerPtr[i] = piece?.adler ?? 1
                }
            }
        }
        var adler = adlers[0]
        for i in 1..<pieces { adler = adler32_combine(adler, adlers[i], off_t(ranges[i].count * unitBytes)) }
        var stream: [UInt8] = [0x78, 0x01]
        stream.reserveCapacity(outputs.reduce(6) { $0 + ($1?.count ?? 0) })
        for piece in outputs {
            guard let piece else { return nil }
            stream += piece
        }
        let a = UInt32(truncatingIfNeeded: adler)
        stream += [UInt8(a >> 24), UInt8((a >> 16) & 0xFF), UInt8((a >> 8) & 0xFF), UInt8(a & 0xFF)]
        return stream
    }

    /// How much of a piece is produced at a time: a small buffer, reused, stays in cache and costs no page faults
    /// (a whole 1080p piece is 6 MB of fresh memory for the kernel to zero).
    static let bandBytes = 64 << 10

    /// Raw deflate of the units in `range`, produced band by band into one reused buffer; ends with a sync
    /// flush, or with the final block when `last`. Nil when zlib fails.
    private static func deflatePiece(_ range: Range<Int>, unitBytes: Int, level: Int32, last: Bool,
                                     fill: (Range<Int>, UnsafeMutablePointer<UInt8>) -> Void) -> (data: [UInt8], adler: uLong)? {
        var strm = z_stream()
        guard deflateInit2_(&strm, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
                            Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
        defer { deflateEnd(&strm) }
        let count = range.count * unitBytes
        let bandUnits = max(1, min(range.count, bandBytes / max(1, unitBytes)))
        let band = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, bandUnits * unitBytes))
        defer { band.deallocate() }
        // Deflating in several calls without flushes until the end stays within the one-call bound.
        let bound = Int(deflateBound(&strm, uLong(count))) + 64
        var adler = adler32(0, nil, 0)
        var failed = false
        let out = [UInt8](unsafeUninitializedCapacity: bound) { buffer, initialized in
            strm.next_out = buffer.baseAddress
            strm.avail_out = uInt(bound)
            var unit = range.lowerBound
            repeat {
                let units = unit..<min(unit + bandUnits, range.upperBound)
                let bytes = units.count * unitBytes
                if bytes > 0 { fill(units, band) }
                adler = adler32(adler, band, uInt(bytes))
                strm.next_in = band
                strm.avail_in = uInt(bytes)
                let end = units.upperBound == range.upperBound
                let status = deflate(&strm, end ? (last ? Z_FINISH : Z_SYNC_FLUSH) : Z_NO_FLUSH)
                let ok = end && last ? status == Z_STREAM_END : (status == Z_OK && strm.avail_in == 0)
                if !ok { failed = true; break }
                unit = units.upperBound
            } while unit < range.upperBound
            initialized = failed ? 0 : Int(strm.total_out)
        }
        return failed ? nil : (out, adler)
    }
}
