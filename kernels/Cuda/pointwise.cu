// Graphport pointwise family: one thread per element in a grid-stride loop. Generated kernels pass the
// element body (index math, loads, the fused expression, stores) as a lambda. Broadcasting, views, casts,
// gathers (embedding, index_select), concatenation, padding and im2col are all index math in that body.
#pragma once

namespace gp {

template <typename Body>
__device__ __forceinline__ void pointwise(long long n, Body body) {
    const long long stride = (long long)gridDim.x * blockDim.x;
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride) body(i);
}

}  // namespace gp
