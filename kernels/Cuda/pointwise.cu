// Graphport pointwise family: one thread per element in a grid-stride loop. Generated kernels pass the
// element body (index math, loads, the fused expression, stores) as a lambda. Broadcasting, views, casts,
// gathers (embedding, index_select), concatenation, padding and im2col are all index math in that body.
#pragma once

namespace gp {

// Index is int when the kernel's index math fits 32 bits (kernels/Codegen/IndexWidth.cs), else long long.
template <typename Index, typename Body>
__device__ __forceinline__ void pointwise(Index n, Body body) {
    const Index stride = (Index)gridDim.x * blockDim.x;
    for (Index i = (Index)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride) body(i);
}

}  // namespace gp
