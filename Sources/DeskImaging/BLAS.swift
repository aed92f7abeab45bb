internal import CBLAS
import Foundation

/// The few OpenBLAS calls template matching needs, behind Swift signatures.
enum BLAS {
    /// OpenBLAS is opened at the first call (CBLAS); it starts its own thread pool, which fights the Swift
    /// concurrency pool on small machines, and the matrices here are small, so one thread is set once.
    /// Without the library (the package depends on libopenblas0, a source build may lack it) the same sums
    /// are computed by plain loops — slower, never a crash — and stderr says so once.
    private static let available: Bool = {
        if let failure = deskpilot_openblas_load() {
            let note = "deskpilot: \(String(cString: failure)); image matching runs without OpenBLAS, slower (install the Debian package libopenblas0)\n"
            FileHandle.standardError.write(Data(note.utf8))
            return false
        }
        openblas_set_num_threads(1)
        return true
    }()

    /// `c (m x n) = a (m x k) · bᵀ` where `b` is `n x k`; all row-major and packed.
    static func multiplyTransposed(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into c: UnsafeMutablePointer<Float>,
                                   m: Int, n: Int, k: Int) {
        guard available else {
            for i in 0..<m {
                for j in 0..<n { c[i * n + j] = dot(a + i * k, b + j * k, count: k) }
            }
            return
        }
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(n), Int32(k),
                    1, a, Int32(k), b, Int32(k), 0, c, Int32(n))
    }

    /// The dot product of two vectors of `count` floats.
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        guard available else {
            var sum: Float = 0
            for i in 0..<count { sum += a[i] * b[i] }
            return sum
        }
        return cblas_sdot(Int32(count), a, 1, b, 1)
    }
}
