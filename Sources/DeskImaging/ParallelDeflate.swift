internal import CPNG
import DeskCore
import Foundation

/// A zlib stream compressed in independent pieces on several cores (the pigz technique).
///
/// Each piece is raw deflate ended with a sync flush (byte-aligned, not final); the last ends the stream.
/// Pieces do not share a dictionary, which costs well under 1 % of size on screen images split in a few
/// pieces, and the Adler-32 of the whole is combined from the pieces'. The result is one ordinary zlib
/// stream, so a PNG's single IDAT stays standard.
enum ParallelDeflate {
    /// Below this much data, one piece is faster than spreading the work.
    static let minimumParallelBytes = 1 << 20

    static func compress(_ raw: UnsafeBufferPointer<UInt8>, level: Int32) -> [UInt8]? {
        let pieces = raw.count >= minimumParallelBytes ? max(1, min(ProcessInfo.processInfo.activeProcessorCount, 4)) : 1
        let base = raw.count / pieces
        let ranges = (0..<pieces).map { i in (i * base)..<(i == pieces - 1 ? raw.count : (i + 1) * base) }
        nonisolated(unsafe) var outputs = [[UInt8]?](repeating: nil, count: pieces)
        nonisolated(unsafe) var adlers = [uLong](repeating: 1, count: pieces)
        nonisolated(unsafe) let rawBase = raw.baseAddress
        outputs.withUnsafeMutableBufferPointer { outBuffer in
            adlers.withUnsafeMutableBufferPointer { adlerBuffer in
                nonisolated(unsafe) let outPtr = outBuffer
                nonisolated(unsafe) let adlerPtr = adlerBuffer
                DispatchQueue.concurrentPerform(iterations: pieces) { i in
                    let range = ranges[i]
                    let start = rawBase.map { $0 + range.lowerBound }
                    outPtr[i] = deflatePiece(start, count: range.count, level: level, last: i == pieces - 1)
                    adlerPtr[i] = adler32(1, start, uInt(range.count))
                }
            }
        }
        var adler = adlers[0]
        for i in 1..<pieces { adler = adler32_combine(adler, adlers[i], off_t(ranges[i].count)) }
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

    private static func deflatePiece(_ start: UnsafePointer<UInt8>?, count: Int, level: Int32, last: Bool) -> [UInt8]? {
        var strm = z_stream()
        guard deflateInit2_(&strm, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
                            Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
        defer { deflateEnd(&strm) }
        let bound = Int(deflateBound(&strm, uLong(count))) + 64
        var out = [UInt8](repeating: 0, count: bound)
        let status: Int32 = out.withUnsafeMutableBufferPointer { dst in
            strm.next_in = UnsafeMutablePointer(mutating: start)
            strm.avail_in = uInt(count)
            strm.next_out = dst.baseAddress
            strm.avail_out = uInt(bound)
            return deflate(&strm, last ? Z_FINISH : Z_SYNC_FLUSH)
        }
        guard last ? status == Z_STREAM_END : (status == Z_OK && strm.avail_in == 0) else { return nil }
        out.removeSubrange(Int(strm.total_out)...)
        return out
    }
}
