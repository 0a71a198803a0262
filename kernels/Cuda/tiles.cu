// Graphport tiled products' shared step (kernels/Cuda/integer_matmul.cu, grouped_matmul.cu): a block's 64 x 64 output
// tile as 16 x 16 threads, each with PER x PER sums in registers, its rows and columns SPAN apart so a warp's
// shared-memory reads are broadcasts or consecutive words. One call adds the products of the DEPTH-deep A and B tiles
// staged in shared memory (A's transposed, one padding word per row) into the sums of the rows `takes` accepts.
#pragma once

namespace gp {

template <int DEPTH, int TILE, int SPAN, int PER, typename ACC, typename Takes>
__device__ __forceinline__ void add_tile_products(const ACC (&a_tile)[DEPTH][TILE + 1], const ACC (&b_tile)[DEPTH][TILE], ACC (&acc)[PER][PER],
                                                  int tx, int ty, Takes takes) {
#pragma unroll
    for (int d = 0; d < DEPTH; d++) {
        ACC av[PER], bv[PER];
#pragma unroll
        for (int r = 0; r < PER; r++) av[r] = a_tile[d][ty + r * SPAN];
#pragma unroll
        for (int c = 0; c < PER; c++) bv[c] = b_tile[d][tx + c * SPAN];
#pragma unroll
        for (int r = 0; r < PER; r++)
            if (takes(r))
#pragma unroll
                for (int c = 0; c < PER; c++) acc[r][c] += av[r] * bv[c];
    }
}

}  // namespace gp
