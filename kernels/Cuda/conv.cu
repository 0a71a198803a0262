// Graphport direct convolution for few output channels (kernels/Planning/DirectConvKernel.cs): one thread per output
// pixel, all COUT sums in registers, the weights of CHUNK taps at a time staged in shared memory as [tap][cout] so
// every thread reads the same word (a broadcast). Generated kernels pass the input load (index math, zero padding,
// the fused prologue) as a lambda of (pixel, tap).
#pragma once

namespace gp {

template <int COUT, int TAPS, int CHUNK, typename Index, typename Load>
__device__ __forceinline__ void direct_conv(Index pixels, Index image_pixels, const float* __restrict__ weight,
                                            const float* __restrict__ bias, float* __restrict__ out, Load load) {
    __shared__ float staged[CHUNK * COUT];
    const Index stride = (Index)gridDim.x * blockDim.x;
    // The loop bounds are the same for the whole block, so every thread reaches every barrier.
    for (Index base = (Index)blockIdx.x * blockDim.x; base < pixels; base += stride) {
        const Index p = base + threadIdx.x;
        const bool live = p < pixels;
        float acc[COUT];
#pragma unroll
        for (int co = 0; co < COUT; co++) acc[co] = 0.0f;
        for (int t0 = 0; t0 < TAPS; t0 += CHUNK) {
            const int count = TAPS - t0 < CHUNK ? TAPS - t0 : CHUNK;
            __syncthreads();
            for (int i = threadIdx.x; i < count * COUT; i += blockDim.x) {
                const int t = i / COUT, co = i % COUT;
                staged[i] = weight[co * TAPS + t0 + t];
            }
            __syncthreads();
            if (live) {
                for (int t = 0; t < count; t++) {
                    const float x = load(p, (Index)(t0 + t));
#pragma unroll
                    for (int co = 0; co < COUT; co++) acc[co] += x * staged[t * COUT + co];
                }
            }
        }
        if (live) {
            const Index image = p / image_pixels, position = p % image_pixels;
#pragma unroll
            for (int co = 0; co < COUT; co++)
                out[GP_HOST_INDEX(out, ((long long)image * COUT + co) * image_pixels + position)] = acc[co] + (bias != nullptr ? bias[co] : 0.0f);
        }
    }
}

}  // namespace gp
