// Graphport reduction family: combine a row's values with Sum/Max/Min/Prod. Three schedules by row length:
// one thread per row (short rows: depthwise and pooling windows, fully unrolled by the compiler since the
// length is a literal), one warp per row, one block per row. The generated kernel supplies load(row, r) (the
// fused prologue) and store(row, acc) (the fused epilogue).
#pragma once

namespace gp {

struct OpSum { template <typename T> static __device__ __forceinline__ T init() { return (T)0; }
               template <typename T> static __device__ __forceinline__ T apply(T a, T b) { return a + b; } };
struct OpProd { template <typename T> static __device__ __forceinline__ T init() { return (T)1; }
                template <typename T> static __device__ __forceinline__ T apply(T a, T b) { return a * b; } };
struct OpMax { template <typename T> static __device__ __forceinline__ T init() { return lowest<T>(); }
               template <typename T> static __device__ __forceinline__ T apply(T a, T b) { return gp_maximum(a, b); }
               template <typename T> static __device__ __forceinline__ T lowest();
};
struct OpMin { template <typename T> static __device__ __forceinline__ T init() { return highest<T>(); }
               template <typename T> static __device__ __forceinline__ T apply(T a, T b) { return gp_minimum(a, b); }
               template <typename T> static __device__ __forceinline__ T highest();
};
template <> __device__ __forceinline__ float OpMax::lowest<float>() { return -__int_as_float(0x7f800000); }
template <> __device__ __forceinline__ double OpMax::lowest<double>() { return -__longlong_as_double(0x7ff0000000000000LL); }
template <> __device__ __forceinline__ long long OpMax::lowest<long long>() { return (-9223372036854775807LL - 1); }
template <> __device__ __forceinline__ float OpMin::highest<float>() { return __int_as_float(0x7f800000); }
template <> __device__ __forceinline__ double OpMin::highest<double>() { return __longlong_as_double(0x7ff0000000000000LL); }
template <> __device__ __forceinline__ long long OpMin::highest<long long>() { return 9223372036854775807LL; }

template <typename Op, typename T>
__device__ __forceinline__ T warp_reduce(T v) {
    for (int offset = 16; offset > 0; offset >>= 1) v = Op::template apply<T>(v, __shfl_xor_sync(0xffffffffu, v, offset));
    return v;
}

// Reduces over the whole block and gives every thread the result. blockDim.x is a multiple of 32.
template <typename Op, typename T>
__device__ __forceinline__ T block_reduce(T v) {
    __shared__ T partial[32];
    v = warp_reduce<Op, T>(v);
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
    if (lane == 0) partial[warp] = v;
    __syncthreads();
    T total = lane < warps ? partial[lane] : Op::template init<T>();
    total = warp_reduce<Op, T>(total);
    __syncthreads();
    return total;
}

template <typename Op, typename T, typename Load, typename Store>
__device__ __forceinline__ void reduce_thread(long long rows, long long len, Load load, Store store) {
    const long long stride = (long long)gridDim.x * blockDim.x;
    for (long long row = (long long)blockIdx.x * blockDim.x + threadIdx.x; row < rows; row += stride) {
        T acc = Op::template init<T>();
#pragma unroll 16
        for (long long r = 0; r < len; ++r) acc = Op::template apply<T>(acc, load(row, r));
        store(row, acc);
    }
}

template <typename Op, typename T, typename Load, typename Store>
__device__ __forceinline__ void reduce_warp(long long rows, long long len, Load load, Store store) {
    const int lane = threadIdx.x & 31;
    const long long warps = (long long)gridDim.x * (blockDim.x >> 5);
    for (long long row = (long long)blockIdx.x * (blockDim.x >> 5) + (threadIdx.x >> 5); row < rows; row += warps) {
        T acc = Op::template init<T>();
        for (long long r = lane; r < len; r += 32) acc = Op::template apply<T>(acc, load(row, r));
        acc = warp_reduce<Op, T>(acc);
        if (lane == 0) store(row, acc);
    }
}

template <typename Op, typename T, typename Load, typename Store>
__device__ __forceinline__ void reduce_block(long long rows, long long len, Load load, Store store) {
    for (long long row = blockIdx.x; row < rows; row += gridDim.x) {
        T acc = Op::template init<T>();
        for (long long r = threadIdx.x; r < len; r += blockDim.x) acc = Op::template apply<T>(acc, load(row, r));
        acc = block_reduce<Op, T>(acc);
        if (threadIdx.x == 0) store(row, acc);
    }
}

// argmax/argmin: a row's values combine as (value, index) pairs; an index of -1 is no element yet. NaN wins over any
// number (torch's argmax and argmin both return the first NaN), and among equal values the first index.
struct ArgMax { template <typename T> static __device__ __forceinline__ bool ahead(T a, T b) { return a > b; } };
struct ArgMin { template <typename T> static __device__ __forceinline__ bool ahead(T a, T b) { return a < b; } };

template <typename Arg, typename T>
__device__ __forceinline__ bool arg_better(T a, long long ia, T b, long long ib) {
    if (ib < 0) return ia >= 0;
    if (ia < 0) return false;
    const bool nanA = a != a, nanB = b != b;
    if (nanA || nanB) return nanA && (!nanB || ia < ib);
    return Arg::template ahead<T>(a, b) || (a == b && ia < ib);
}

template <typename Arg, typename T>
__device__ __forceinline__ void arg_warp_reduce(T& v, long long& i) {
    for (int offset = 16; offset > 0; offset >>= 1) {
        const T ov = __shfl_xor_sync(0xffffffffu, v, offset);
        const long long oi = __shfl_xor_sync(0xffffffffu, i, offset);
        if (arg_better<Arg, T>(ov, oi, v, i)) { v = ov; i = oi; }
    }
}

template <typename Arg, typename T, typename Load, typename Store>
__device__ __forceinline__ void argreduce_thread(long long rows, long long len, Load load, Store store) {
    const long long stride = (long long)gridDim.x * blockDim.x;
    for (long long row = (long long)blockIdx.x * blockDim.x + threadIdx.x; row < rows; row += stride) {
        T best = (T)0;
        long long at = -1;
        for (long long r = 0; r < len; ++r) {
            const T v = load(row, r);
            if (arg_better<Arg, T>(v, r, best, at)) { best = v; at = r; }
        }
        store(row, at);
    }
}

template <typename Arg, typename T, typename Load, typename Store>
__device__ __forceinline__ void argreduce_warp(long long rows, long long len, Load load, Store store) {
    const int lane = threadIdx.x & 31;
    const long long warps = (long long)gridDim.x * (blockDim.x >> 5);
    for (long long row = (long long)blockIdx.x * (blockDim.x >> 5) + (threadIdx.x >> 5); row < rows; row += warps) {
        T best = (T)0;
        long long at = -1;
        for (long long r = lane; r < len; r += 32) {
            const T v = load(row, r);
            if (arg_better<Arg, T>(v, r, best, at)) { best = v; at = r; }
        }
        arg_warp_reduce<Arg, T>(best, at);
        if (lane == 0) store(row, at);
    }
}

template <typename Arg, typename T, typename Load, typename Store>
__device__ __forceinline__ void argreduce_block(long long rows, long long len, Load load, Store store) {
    __shared__ T values[32];
    __shared__ long long indices[32];
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
    for (long long row = blockIdx.x; row < rows; row += gridDim.x) {
        T best = (T)0;
        long long at = -1;
        for (long long r = threadIdx.x; r < len; r += blockDim.x) {
            const T v = load(row, r);
            if (arg_better<Arg, T>(v, r, best, at)) { best = v; at = r; }
        }
        arg_warp_reduce<Arg, T>(best, at);
        if (lane == 0) { values[warp] = best; indices[warp] = at; }
        __syncthreads();
        best = lane < warps ? values[lane] : (T)0;
        at = lane < warps ? indices[lane] : -1;
        arg_warp_reduce<Arg, T>(best, at);
        if (threadIdx.x == 0) store(row, at);
        __syncthreads();
    }
}

}  // namespace gp
