// Graphport direct convolution for few output channels (kernels/Planning/DirectConvKernel.cs). Each thread owns
// PX output pixels, blockDim.x apart (so a warp's loads and stores stay coalesced), and keeps all COUT sums of
// each in registers; the weights of CHUNK taps at a time are staged in shared memory as [tap][cout], so every
// thread reads the same word (a broadcast) and uses it PX times. The PX loads of one tap share the tap's index
// math and the fused prologue's per-channel values (batch-norm statistics), which the compiler computes once.
// Generated kernels pass the input load (index math, zero padding, the fused prologue) as a lambda of (pixel, tap);
// RELU applies the ReLU that was the convolution's only consumer as the sums are stored.
#pragma once

namespace gp {

template <int COUT, int TAPS, int CHUNK, int PX, bool RELU, typename Index, typename Load>
__device__ __forceinline__ void direct_conv(Index pixels, Index image_pixels, const float* __restrict__ weight,
                                            const float* __restrict__ bias, float* __restrict__ out, Load load) {
    __shared__ __align__(16) float staged[CHUNK * COUT];
    const Index span = (Index)blockDim.x * PX;
    const Index stride = (Index)gridDim.x * span;
    // The loop bounds are the same for the whole block, so every thread reaches every barrier.
    for (Index base = (Index)blockIdx.x * span; base < pixels; base += stride) {
        Index p[PX];
#pragma unroll
        for (int j = 0; j < PX; j++) {
            p[j] = base + (Index)j * blockDim.x + threadIdx.x;
            // Past the end, a thread computes the last pixel again (branch-free taps) and stores nothing.
            if (p[j] >= pixels) p[j] = pixels - 1;
        }
        float acc[PX][COUT];
#pragma unroll
        for (int j = 0; j < PX; j++)
#pragma unroll
            for (int co = 0; co < COUT; co++) acc[j][co] = 0.0f;
        for (int t0 = 0; t0 < TAPS; t0 += CHUNK) {
            const int count = TAPS - t0 < CHUNK ? TAPS - t0 : CHUNK;
            __syncthreads();
            for (int i = threadIdx.x; i < count * COUT; i += blockDim.x) {
                const int t = i / COUT, co = i % COUT;
                staged[i] = weight[co * TAPS + t0 + t];
            }
            __syncthreads();
            for (int t = 0; t < count; t++) {
                float x[PX];
#pragma unroll
                for (int j = 0; j < PX; j++) x[j] = load(p[j], (Index)(t0 + t));
                if constexpr (COUT % 4 == 0) {
                    // Four channels' weights per shared-memory load (a 16-byte broadcast): the loads stay a quarter
                    // of the multiply-adds even at one pixel per thread.
                    const float4* w4 = reinterpret_cast<const float4*>(staged + t * COUT);
#pragma unroll
                    for (int c = 0; c < COUT / 4; c++) {
                        const float4 w = w4[c];
#pragma unroll
                        for (int j = 0; j < PX; j++) {
                            acc[j][4 * c] += x[j] * w.x;
                            acc[j][4 * c + 1] += x[j] * w.y;
                            acc[j][4 * c + 2] += x[j] * w.z;
                            acc[j][4 * c + 3] += x[j] * w.w;
                        }
                    }
                } else {
#pragma unroll
                    for (int co = 0; co < COUT; co++) {
                        const float w = staged[t * COUT + co];
#pragma unroll
                        for (int j = 0; j < PX; j++) acc[j][co] += x[j] * w;
                    }
                }
            }
        }
#pragma unroll
        for (int j = 0; j < PX; j++) {
            if (base + (Index)j * blockDim.x + threadIdx.x >= pixels) continue;
            const Index image = p[j] / image_pixels, position = p[j] % image_pixels;
#pragma unroll
            for (int co = 0; co < COUT; co++) {
                const float v = acc[j][co] + (bias != nullptr ? bias[co] : 0.0f);
                out[GP_HOST_INDEX(out, ((long long)image * COUT + co) * image_pixels + position)] = RELU ? gp_relu(v) : v;
            }
        }
    }
}

}  // namespace gp
