internal import CBLAS

/// The few OpenBLAS calls template matching needs, behind Swift signatures.
enum BLAS {
    /// OpenBLAS is opened at the first call (CBLAS); it starts its own thread pool, which fights the Swift
    /// concurrency pool on small machines, and the matrices here are small, so one thread is set once.
    private static let singleThreaded: Bool = {
        if let failure = deskpilot_openblas_load() {
            // The package depends on libopenblas0; without it no template can be matched at all.
            fatalError("\(String(cString: failure)) (Debian package libopenblas0)")
        }
        openblas_set_num_threads(1)
        return true
    }()

    /// `c (m x n) = a (m x k) · bᵀ` where `b` is `n x k`; all row-major and packed.
    static func multiplyTransposed(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into c: UnsafeMutablePointer<Float>,
                                   m: Int, n: Int, k: Int) {
        _ = singleThreaded
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(n), Int32(k),
                    1, a, Int32(k), b, Int32(k), 0, c, Int32(n))
    }

    /// The dot product of two vectors of `count` floats.
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        _ = singleThreaded
        return cblas_sdot(Int32(count), a, 1, b, 1)
    }
}
