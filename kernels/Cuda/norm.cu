// Graphport row-normalization family: softmax, log-softmax and layer/group norm (batch norm in eval mode is
// pointwise). A warp or a block owns a row: pass 1 finds the statistics (max and sum of exp; mean and
// variance, two-pass for accuracy), pass 2 writes each normalized element through emit(row, r, value), where
// the generated code applies weight, bias and the fused epilogue.
#pragma once

namespace gp {

struct WarpRows {
    static __device__ __forceinline__ long long first() { return (long long)blockIdx.x * (blockDim.x >> 5) + (threadIdx.x >> 5); }
    static __device__ __forceinline__ long long step() { return (long long)gridDim.x * (blockDim.x >> 5); }
    static __device__ __forceinline__ long long lane() { return threadIdx.x & 31; }
    static __device__ __forceinline__ long long width() { return 32; }
    template <typename Op, typename T> static __device__ __forceinline__ T reduce(T v) { return warp_reduce<Op, T>(v); }
};

struct BlockRows {
    static __device__ __forceinline__ long long first() { return blockIdx.x; }
    static __device__ __forceinline__ long long step() { return gridDim.x; }
    static __device__ __forceinline__ long long lane() { return threadIdx.x; }
    static __device__ __forceinline__ long long width() { return blockDim.x; }
    template <typename Op, typename T> static __device__ __forceinline__ T reduce(T v) { return block_reduce<Op, T>(v); }
};

// Safe: a row of nothing but -inf (a query whose every key is masked out) emits zeros, as torch's _safe_softmax.
template <typename Rows, bool Log, typename T, bool Safe = false, typename Load, typename Emit>
__device__ __forceinline__ void softmax_rows(long long rows, long long len, Load load, Emit emit) {
    for (long long row = Rows::first(); row < rows; row += Rows::step()) {
        T m = OpMax::init<T>();
        for (long long r = Rows::lane(); r < len; r += Rows::width()) m = gp_maximum(m, load(row, r));
        m = Rows::template reduce<OpMax, T>(m);
        T s = (T)0;
        for (long long r = Rows::lane(); r < len; r += Rows::width()) s += gp_exp(load(row, r) - m);
        s = Rows::template reduce<OpSum, T>(s);
        const T logSum = gp_log(s);
        const bool empty = Safe && m == OpMax::init<T>();  // -inf: every element of the row is -inf
        for (long long r = Rows::lane(); r < len; r += Rows::width()) {
            const T shifted = load(row, r) - m;
            emit(row, r, empty ? (T)0 : Log ? shifted - logSum : gp_exp(shifted) / s);
        }
    }
}

// Running sums along each row (cumsum), 32 elements at a time by one warp: each lane loads one, a shuffle scan adds
// up the lanes before it, and the last lane's total carries into the next 32. Under BlockRows (rows past 1024) the
// first warp of each block does the row; the others have nothing to scan.
template <typename Rows, typename T, typename Load, typename Emit>
__device__ __forceinline__ void cumsum_rows(long long rows, long long len, Load load, Emit emit) {
    if (Rows::width() > 32 && threadIdx.x >= 32) return;
    const int lane = threadIdx.x & 31;
    for (long long row = Rows::first(); row < rows; row += Rows::step()) {
        T carry = (T)0;
        for (long long base = 0; base < len; base += 32) {
            const long long r = base + lane;
            T v = r < len ? load(row, r) : (T)0;
            for (int offset = 1; offset < 32; offset <<= 1) {
                const T before = __shfl_up_sync(0xffffffffu, v, offset);
                if (lane >= offset) v += before;
            }
            v += carry;
            if (r < len) emit(row, r, v);
            carry = __shfl_sync(0xffffffffu, v, 31);
        }
    }
}

// x * rsqrt(mean(x^2) + eps) along each row (an RMS norm): one pass for the squares, one to emit.
template <typename Rows, typename T, typename Load, typename Emit>
__device__ __forceinline__ void rms_norm_rows(long long rows, long long len, T eps, Load load, Emit emit) {
    for (long long row = Rows::first(); row < rows; row += Rows::step()) {
        T squares = (T)0;
        for (long long r = Rows::lane(); r < len; r += Rows::width()) { const T v = load(row, r); squares += v * v; }
        const T scale = (T)1 / gp_sqrt(Rows::template reduce<OpSum, T>(squares) / (T)len + eps);
        for (long long r = Rows::lane(); r < len; r += Rows::width()) emit(row, r, load(row, r) * scale);
    }
}

template <typename Rows, typename T, typename Load, typename Emit>
__device__ __forceinline__ void layer_norm_rows(long long rows, long long len, T eps, Load load, Emit emit) {
    for (long long row = Rows::first(); row < rows; row += Rows::step()) {
        T sum = (T)0;
        for (long long r = Rows::lane(); r < len; r += Rows::width()) sum += load(row, r);
        const T mean = Rows::template reduce<OpSum, T>(sum) / (T)len;
        T squares = (T)0;
        for (long long r = Rows::lane(); r < len; r += Rows::width()) { const T d = load(row, r) - mean; squares += d * d; }
        const T rstd = (T)1 / gp_sqrt(Rows::template reduce<OpSum, T>(squares) / (T)len + eps);
        for (long long r = Rows::lane(); r < len; r += Rows::width()) emit(row, r, (load(row, r) - mean) * rstd);
    }
}

}  // namespace gp
