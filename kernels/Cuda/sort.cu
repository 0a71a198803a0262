// Graphport row sort (kernels/Planning/SortRowsKernel.cs): sort and topk along a tensor's last dim, as a mixture of
// experts routes its tokens (the top-k experts of each token, then every routed token sorted by expert). One block
// per row: the row's values and positions go to shared memory, padded to P (a power of two, at least the row's
// length), and a bitonic network sorts them; the first `keep` come out with their positions. The order is the CPU
// kernel's (export/Cpu/Indexing.Sort.cs): by value, NaN above everything, descending when asked, equal values by
// position (a stable sort, and so one answer), padding after everything.
#pragma once

namespace gp {

template <typename KEY>
__device__ __forceinline__ bool sorts_before(KEY a, long long ia, KEY b, long long ib, long long length, bool descending) {
    const bool pad_a = ia >= length, pad_b = ib >= length;
    if (pad_a || pad_b) return pad_a && pad_b ? ia < ib : pad_b;
    const bool nan_a = a != a, nan_b = b != b;
    int c = nan_a || nan_b ? (nan_a == nan_b ? 0 : (nan_a ? 1 : -1)) : (a < b ? -1 : (a > b ? 1 : 0));
    if (descending) c = -c;
    return c != 0 ? c < 0 : ia < ib;
}

template <int P, typename KEY, typename OUT, typename Load>
__device__ __forceinline__ void sort_rows(long long rows, long long length, long long keep, bool descending, OUT* __restrict__ values,
                                          long long* __restrict__ positions, Load load) {
    __shared__ KEY key[P];
    __shared__ long long pos[P];
    for (long long row = blockIdx.x; row < rows; row += gridDim.x) {
        __syncthreads();
        for (int i = threadIdx.x; i < P; i += blockDim.x) {
            pos[i] = i;
            key[i] = i < length ? load(row * length + i) : (KEY)0;
        }
        for (int size = 2; size <= P; size <<= 1) {
            for (int stride = size >> 1; stride > 0; stride >>= 1) {
                __syncthreads();
                for (int i = threadIdx.x; i < P; i += blockDim.x) {
                    const int j = i ^ stride;
                    if (j <= i) continue;
                    // Halves of a bitonic merge alternate direction: the lower element comes first in an ascending one.
                    const bool swap = (i & size) == 0 ? sorts_before(key[j], pos[j], key[i], pos[i], length, descending)
                                                      : sorts_before(key[i], pos[i], key[j], pos[j], length, descending);
                    if (swap) {
                        const KEY k = key[i];
                        key[i] = key[j];
                        key[j] = k;
                        const long long p = pos[i];
                        pos[i] = pos[j];
                        pos[j] = p;
                    }
                }
            }
        }
        __syncthreads();
        for (long long i = threadIdx.x; i < keep; i += blockDim.x) {
            gp_store(values, row * keep + i, key[i]);
            gp_store(positions, row * keep + i, pos[i]);
        }
    }
}

}  // namespace gp
