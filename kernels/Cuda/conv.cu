// Graphport direct convolution for few output channels (kernels/Planning/DirectConvKernel.cs). The work is pixel
// tiles of one block times groups of CT output channels (COUT / CT groups); each thread owns PX pixels of its
// block's tile, blockDim.x apart (so a warp's loads and stores stay coalesced), and keeps the CT sums of each in
// registers. The weights of its group for CHUNK taps at a time are staged in shared memory as [tap][channel], so
// every thread reads the same words (a broadcast, four channels per load) and uses each PX times; the PX loads of
// one tap share the tap's index math and the fused prologue's per-channel values, which the compiler computes
// once. The renderer picks PX and CT so the launch has enough warps (CudaRenderer.DirectConvSchedule). Generated
// kernels pass the input load (index math, zero padding, the fused prologue) as a lambda of (pixel, tap); RELU
// applies the ReLU that was the convolution's only consumer as the sums are stored.
#pragma once

namespace gp {

template <int COUT, int CT, int TAPS, int CHUNK, int PX, bool RELU, typename Index, typename Load>
__device__ __forceinline__ void direct_conv(Index pixels, Index image_pixels, const float* __restrict__ weight,
                                            const float* __restrict__ bias, float* __restrict__ out, Load load) {
    static_assert(COUT % CT == 0, "channel groups divide the output channels");
    constexpr int GROUPS = COUT / CT;
    __shared__ __align__(16) float staged[CHUNK * CT];
    const Index span = (Index)blockDim.x * PX;
    const Index work_items = (pixels + span - 1) / span * GROUPS;
    // The loop bounds are the same for the whole block, so every thread reaches every barrier.
    for (Index work = blockIdx.x; work < work_items; work += gridDim.x) {
        const Index base = work / GROUPS * span;
        const int c0 = (int)(work % GROUPS) * CT;
        Index p[PX];
#pragma unroll
        for (int j = 0; j < PX; j++) {
            p[j] = base + (Index)j * blockDim.x + threadIdx.x;
            // Past the end, a thread computes the last pixel again (branch-free taps) and stores nothing.
            if (p[j] >= pixels) p[j] = pixels - 1;
        }
        float acc[PX][CT];
#pragma unroll
        for (int j = 0; j < PX; j++)
#pragma unroll
            for (int c = 0; c < CT; c++) acc[j][c] = 0.0f;
        for (int t0 = 0; t0 < TAPS; t0 += CHUNK) {
            const int count = TAPS - t0 < CHUNK ? TAPS - t0 : CHUNK;
            __syncthreads();
            for (int i = threadIdx.x; i < count * CT; i += blockDim.x) {
                const int t = i / CT, c = i % CT;
                staged[i] = weight[(c0 + c) * TAPS + t0 + t];
            }
            __syncthreads();
            for (int t = 0; t < count; t++) {
                float x[PX];
#pragma unroll
                for (int j = 0; j < PX; j++) x[j] = load(p[j], (Index)(t0 + t));
                if constexpr (CT % 4 == 0) {
                    // Four channels' weights per shared-memory load (a 16-byte broadcast): the loads stay a quarter
                    // of the multiply-adds even at one pixel per thread.
                    const float4* w4 = reinterpret_cast<const float4*>(staged + t * CT);
#pragma unroll
                    for (int c = 0; c < CT / 4; c++) {
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
                    for (int c = 0; c < CT; c++) {
                        const float w = staged[t * CT + c];
#pragma unroll
                        for (int j = 0; j < PX; j++) acc[j][c] += x[j] * w;
                    }
                }
            }
        }
#pragma unroll
        for (int j = 0; j < PX; j++) {
            if (base + (Index)j * blockDim.x + threadIdx.x >= pixels) continue;
            const Index image = p[j] / image_pixels, position = p[j] % image_pixels;
#pragma unroll
            for (int c = 0; c < CT; c++) {
                const int co = c0 + c;
                const float v = acc[j][c] + (bias != nullptr ? bias[co] : 0.0f);
                out[GP_HOST_INDEX(out, ((long long)image * COUT + co) * image_pixels + position)] = RELU ? gp_relu(v) : v;
            }
        }
    }
}

}  // namespace gp
