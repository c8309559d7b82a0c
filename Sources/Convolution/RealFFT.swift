import CKissFFT
import Foundation

/// A real FFT of even size `size` (KissFFT's `kiss_fftr`), with spectra in split form (separate real and imaginary
/// arrays of `size/2 + 1` bins) so the frequency-domain products vectorise. Like KissFFT, the inverse is unscaled:
/// inverse(forward(x)) = size · x.
///
/// Allocates in `init` only. One instance per user (the scratch spectrum is shared by both directions).
final class RealFFT: @unchecked Sendable {
    let size: Int
    let bins: Int
    private let forwardPlan: kiss_fftr_cfg
    private let inversePlan: kiss_fftr_cfg
    private let spectrum: UnsafeMutablePointer<kiss_fft_cpx>

    init(size: Int) {
        precondition(size >= 2 && size % 2 == 0, "a real FFT needs an even size")
        self.size = size
        bins = size / 2 + 1
        forwardPlan = kiss_fftr_alloc(Int32(size), 0, nil, nil)
        inversePlan = kiss_fftr_alloc(Int32(size), 1, nil, nil)
        spectrum = .allocate(capacity: bins)
        spectrum.initialize(repeating: kiss_fft_cpx(r: 0, i: 0), count: bins)
    }

    deinit {
        // kiss_fftr_free is a macro for free() (this KissFFT is built without USE_SIMD).
        free(UnsafeMutableRawPointer(forwardPlan))
        free(UnsafeMutableRawPointer(inversePlan))
        spectrum.deallocate()
    }

    /// `size` real samples → `bins` complex bins (split).
    func forward(_ input: UnsafePointer<Float>, real: UnsafeMutablePointer<Float>, imaginary: UnsafeMutablePointer<Float>) {
        kiss_fftr(forwardPlan, input, spectrum)
        for k in 0..<bins {
            real[k] = spectrum[k].r
            imaginary[k] = spectrum[k].i
        }
    }

    /// `bins` complex bins (split) → `size` real samples, unscaled.
    func inverse(real: UnsafePointer<Float>, imaginary: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
        for k in 0..<bins { spectrum[k] = kiss_fft_cpx(r: real[k], i: imaginary[k]) }
        kiss_fftri(inversePlan, spectrum, output)
    }
}
