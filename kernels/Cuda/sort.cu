// Graphport row sort (kernels/Planning/SortRowsKernel.cs, MergeSortedRunsKernel.cs): sort and topk along any dim of a
// tensor, as a mixture of experts routes its tokens (the top-k experts of each token, then every routed token sorted
// by expert) and a sampler ranks a vocabulary. One block per row (or per chunk of a row of more than 1024): the
// values and positions go to shared memory, padded to P (a power of two, at least the chunk's length), and a bitonic
// network sorts them; longer rows' sorted chunks then merge pairwise, one pass per doubling; the first `keep` come
// out with their positions. The order is the CPU
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

// Where element j of a row's sorted output goes: rows are (outer, inner) pairs of the tensor's dims before and after
// the sorted one, so a row r's j-th element sits at (r / inner) * row * inner + j * inner + r % inner (inner = 1: the
// last dim, rows one after another).
__device__ __forceinline__ long long sorted_at(long long r, long long j, long long row, long long inner) {
    return (r / inner) * row * inner + j * inner + r % inner;
}

// Each block sorts chunks of `chunk` elements (a whole row when it fits): chunk c of row r holds positions
// [c * chunk, min((c + 1) * chunk, length)), read through load(flat index of the input) with the row's elements
// `inner` apart. The first min(keep, chunk's length) of each chunk go out at sorted_at(r, c * chunk + j, out_row,
// out_inner): the outputs themselves when the row is one chunk, else the first merge pass's runs (out_row = length,
// out_inner = 1), which merge_sorted_runs then merges pairwise.
template <int P, typename KEY, typename OUT, typename Load>
__device__ __forceinline__ void sort_rows(long long rows, long long length, long long chunk, long long keep, long long inner, bool descending,
                                          long long out_row, long long out_inner, OUT* __restrict__ values, long long* __restrict__ positions, Load load) {
    __shared__ KEY key[P];
    __shared__ long long pos[P];
    const long long chunks = (length + chunk - 1) / chunk;
    for (long long t = blockIdx.x; t < rows * chunks; t += gridDim.x) {
        const long long r = t / chunks, start = (t % chunks) * chunk;
        const long long n = length - start < chunk ? length - start : chunk, end = start + n;
        const long long first = (r / inner) * length * inner + r % inner;
        __syncthreads();
        for (int i = threadIdx.x; i < P; i += blockDim.x) {
            pos[i] = start + i;
            key[i] = i < n ? load(first + (start + i) * inner) : (KEY)0;
        }
        for (int size = 2; size <= P; size <<= 1) {
            for (int stride = size >> 1; stride > 0; stride >>= 1) {
                __syncthreads();
                for (int i = threadIdx.x; i < P; i += blockDim.x) {
                    const int j = i ^ stride;
                    if (j <= i) continue;
                    // Halves of a bitonic merge alternate direction: the lower element comes first in an ascending one.
                    const bool swap = (i & size) == 0 ? sorts_before(key[j], pos[j], key[i], pos[i], end, descending)
                                                      : sorts_before(key[i], pos[i], key[j], pos[j], end, descending);
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
        const long long m = keep < n ? keep : n;
        for (long long i = threadIdx.x; i < m; i += blockDim.x) {
            const long long at = sorted_at(r, start + i, out_row, out_inner);
            gp_store(values, at, key[i]);
            gp_store(positions, at, pos[i]);
        }
    }
}

// One merge pass of rows longer than a block sorts: each row holds sorted runs `width` apart (run q at q * width, its
// first min(width, length - q * width, keep) elements valid), and runs 2q and 2q + 1 merge into one at 2q * width.
// An element's place in the merged run is its place in its own run plus the number of its partner run's elements
// that sort before it (a binary search; the order is total, positions breaking ties, so no two land together).
// Places at or past keep are dropped (topk keeps only the first). The last pass (width * 2 >= length) writes the
// outputs at sorted_at(r, place, out_row, out_inner); the others the next pass's runs (out_row = length, out_inner = 1).
template <typename KEY, typename OUT>
__device__ __forceinline__ void merge_sorted_runs(long long rows, long long length, long long width, long long keep, bool descending,
                                                  long long out_row, long long out_inner, const KEY* __restrict__ keys,
                                                  const long long* __restrict__ key_positions, OUT* __restrict__ values,
                                                  long long* __restrict__ positions) {
    for (long long e = blockIdx.x * (long long)blockDim.x + threadIdx.x; e < rows * length; e += (long long)gridDim.x * blockDim.x) {
        const long long r = e / length, p = e - r * length, q = p / width, i = p - q * width;
        const long long own = length - q * width < width ? length - q * width : width;
        if (i >= (own < keep ? own : keep)) continue;
        const long long partner = (q ^ 1) * width;
        long long others = partner < length ? (length - partner < width ? length - partner : width) : 0;
        if (others > keep) others = keep;
        const KEY k = gp_load(keys, e);
        const long long kp = gp_load(key_positions, e);
        long long lo = 0, hi = others;
        while (lo < hi) {
            const long long mid = (lo + hi) >> 1;
            const long long at = r * length + partner + mid;
            if (sorts_before((KEY)gp_load(keys, at), gp_load(key_positions, at), k, kp, length, descending)) lo = mid + 1;
            else hi = mid;
        }
        const long long place = i + lo;
        if (place >= keep) continue;
        const long long at = sorted_at(r, (q & ~1LL) * width + place, out_row, out_inner);
        gp_store(values, at, k);
        gp_store(positions, at, kp);
    }
}

}  // namespace gp
