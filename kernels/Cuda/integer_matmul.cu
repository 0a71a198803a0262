// Graphport integer matrix product (kernels/Planning/IntegerMatmulKernel.cs): out[b][i][j] = the sum over k of
// A(b, i, k) * B(b, k, j), accumulated in ACC, an unsigned type of the output's width, so the sums wrap exactly as
// the output dtype's do (C leaves signed overflow undefined; unsigned arithmetic is modular). A block of 256
// threads owns a 64 x 64 tile of one product; each thread keeps 4 x 4 sums in registers, its rows and columns 16
// apart so a warp's shared-memory reads are broadcasts or consecutive words. A and B pass through shared memory 16
// deep: the threads that stage A walk k and those that stage B walk j, the contiguous directions of row-major
// operands. The operands are lambdas of their linear indices ((b * m + i) * k + kk and (b * k + kk) * n + j), so a
// fused prologue runs as a tile is staged.
#pragma once

namespace gp {

template <typename ACC, typename OUT, typename LoadA, typename LoadB>
__device__ __forceinline__ void integer_matmul(long long batch, long long m, long long n, long long k, OUT* __restrict__ out,
                                               LoadA load_a, LoadB load_b) {
    constexpr int TILE = 64, DEPTH = 16, SPAN = 16, PER = TILE / SPAN;
    // One padding word per row of A's tile: its stagers write down a column (stride TILE + 1 spreads the banks).
    __shared__ ACC a_tile[DEPTH][TILE + 1];
    __shared__ ACC b_tile[DEPTH][TILE];
    const long long tiles_m = (m + TILE - 1) / TILE, tiles_n = (n + TILE - 1) / TILE;
    const long long work_items = batch * tiles_m * tiles_n;
    const int tx = threadIdx.x % SPAN, ty = threadIdx.x / SPAN;
    // The loop bounds are the same for the whole block, so every thread reaches every barrier.
    for (long long work = blockIdx.x; work < work_items; work += gridDim.x) {
        const long long b = work / (tiles_m * tiles_n), tile = work % (tiles_m * tiles_n);
        const long long i0 = tile / tiles_n * TILE, j0 = tile % tiles_n * TILE;
        ACC acc[PER][PER];
#pragma unroll
        for (int r = 0; r < PER; r++)
#pragma unroll
            for (int c = 0; c < PER; c++) acc[r][c] = 0;
        for (long long k0 = 0; k0 < k; k0 += DEPTH) {
            __syncthreads();
            for (int e = threadIdx.x; e < TILE * DEPTH; e += blockDim.x) {
                const int ar = e / DEPTH, ak = e % DEPTH;
                const long long i = i0 + ar, ka = k0 + ak;
                a_tile[ak][ar] = i < m && ka < k ? (ACC)load_a((b * m + i) * k + ka) : (ACC)0;
                const int bk = e / TILE, bc = e % TILE;
                const long long j = j0 + bc, kb = k0 + bk;
                b_tile[bk][bc] = j < n && kb < k ? (ACC)load_b((b * k + kb) * n + j) : (ACC)0;
            }
            __syncthreads();
            add_tile_products<DEPTH, TILE, SPAN, PER>(a_tile, b_tile, acc, tx, ty, [](int) { return true; });
        }
#pragma unroll
        for (int r = 0; r < PER; r++) {
            const long long i = i0 + ty + r * SPAN;
#pragma unroll
            for (int c = 0; c < PER; c++) {
                const long long j = j0 + tx + c * SPAN;
                if (i < m && j < n) {
                    const long long at = (b * m + i) * n + j;
                    out[GP_HOST_INDEX(out, at)] = (OUT)acc[r][c];
                }
            }
        }
    }
}

}  // namespace gp
