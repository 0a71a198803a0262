// Graphport grouped matrix product (kernels/Planning/GroupedMatmulKernel.cs): a mixture of experts' tokens, sorted by
// expert, times each expert's weight. Row i of A (rows x k) belongs to group g, the number of group ends at or below i
// (ends[g] is the cumulative end of group g's rows); out[i][j] = the sum over kk of A(i, kk) * B(g, kk, j), and rows
// past the last end are zero. A block of 256 threads owns a 64 x 64 output tile, each thread 4 x 4 sums in
// registers (kernels/Cuda/tiles.cu, as integer_matmul.cu's); a tile whose rows span several groups runs its k loop once per group,
// staging that group's weight, and a thread adds only into its rows of that group, so no value of another group (an
// infinity times a masked-out zero) reaches a row. ACC is float for float32, half and bfloat16, double for float64.
// The group ends are read through a lambda of the group (the offsets' int32 values, widened).
#pragma once

namespace gp {

// The group of a row: how many ends lie at or below it (groups when the row is past the last end).
template <typename LoadEnd>
__device__ __forceinline__ long long group_of_row(long long row, long long groups, LoadEnd load_end) {
    long long lo = 0, hi = groups;
    while (lo < hi) {
        const long long mid = (lo + hi) / 2;
        if (load_end(mid) <= row) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

// A split by counts read from the data (graphport::split_mm_cat) must cover the rows exactly, as torch's
// split_with_sizes requires: each count (an end minus the one before) at least 0, the last end the rows. One thread
// checks, before any tile is summed; a failure is recorded (a negative count, or the total) and the call fails.
// Rows still map to groups in range whatever the ends, so the product itself reads and writes nothing out of place.
template <typename LoadEnd>
__device__ __forceinline__ void check_split_ends(long long rows, long long groups, unsigned int negative_site, unsigned int total_site,
                                                 LoadEnd load_end) {
    if (blockIdx.x != 0 || threadIdx.x != 0) return;
    long long previous = 0;
    for (long long g = 0; g < groups; g++) {
        const long long end = load_end(g);
        if (end < previous) {
            gp_record_fault(negative_site, end - previous);
            return;
        }
        previous = end;
    }
    if (previous != rows) gp_record_fault(total_site, previous);
}

template <typename ACC, typename OUT, typename LoadA, typename LoadB, typename LoadEnd>
__device__ __forceinline__ void grouped_matmul(long long rows, long long n, long long k, long long groups, OUT* __restrict__ out,
                                               LoadA load_a, LoadB load_b, LoadEnd load_end) {
    constexpr int TILE = 64, DEPTH = 16, SPAN = 16, PER = TILE / SPAN;
    __shared__ ACC a_tile[DEPTH][TILE + 1];
    __shared__ ACC b_tile[DEPTH][TILE];
    const long long tiles_m = (rows + TILE - 1) / TILE, tiles_n = (n + TILE - 1) / TILE;
    const int tx = threadIdx.x % SPAN, ty = threadIdx.x / SPAN;
    for (long long work = blockIdx.x; work < tiles_m * tiles_n; work += gridDim.x) {
        const long long i0 = work / tiles_n * TILE, j0 = work % tiles_n * TILE;
        const long long last = (i0 + TILE < rows ? i0 + TILE : rows) - 1;
        // Every thread computes the same range of groups, so every thread reaches every barrier.
        const long long first_group = group_of_row(i0, groups, load_end);
        const long long last_group = group_of_row(last, groups, load_end);
        long long mine[PER];
#pragma unroll
        for (int r = 0; r < PER; r++) {
            const long long i = i0 + ty + r * SPAN;
            mine[r] = i < rows ? group_of_row(i, groups, load_end) : groups;
        }
        ACC acc[PER][PER];
#pragma unroll
        for (int r = 0; r < PER; r++)
#pragma unroll
            for (int c = 0; c < PER; c++) acc[r][c] = 0;
        for (long long g = first_group; g <= last_group && g < groups; g++) {
            const long long start = g == 0 ? 0 : load_end(g - 1), end = load_end(g);
            for (long long k0 = 0; k0 < k; k0 += DEPTH) {
                __syncthreads();
                for (int e = threadIdx.x; e < TILE * DEPTH; e += blockDim.x) {
                    const int ar = e / DEPTH, ak = e % DEPTH;
                    const long long i = i0 + ar, ka = k0 + ak;
                    a_tile[ak][ar] = i >= start && i < end && i < rows && ka < k ? (ACC)load_a(i * k + ka) : (ACC)0;
                    const int bk = e / TILE, bc = e % TILE;
                    const long long j = j0 + bc, kb = k0 + bk;
                    b_tile[bk][bc] = j < n && kb < k ? (ACC)load_b((g * k + kb) * n + j) : (ACC)0;
                }
                __syncthreads();
                add_tile_products<DEPTH, TILE, SPAN, PER>(a_tile, b_tile, acc, tx, ty, [&](int r) { return mine[r] == g; });
            }
        }
#pragma unroll
        for (int r = 0; r < PER; r++) {
            const long long i = i0 + ty + r * SPAN;
#pragma unroll
            for (int c = 0; c < PER; c++) {
                const long long j = j0 + tx + c * SPAN;
                if (i < rows && j < n) gp_store(out, i * n + j, (ACC)(mine[r] < groups ? acc[r][c] : (ACC)0));
            }
        }
    }
}

}  // namespace gp
