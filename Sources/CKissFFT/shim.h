// kissfft-float.pc passes -Dkiss_fft_scalar=float, which SwiftPM refuses ("prohibited flag"), so the target does
// not use pkg-config: the scalar type is defined here and the header is found under /usr/include/kissfft.
#define kiss_fft_scalar float
#include <kissfft/kiss_fftr.h>
