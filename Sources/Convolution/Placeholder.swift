// FFT convolution (KissFFT) lives here so that DSP itself links no C library.
