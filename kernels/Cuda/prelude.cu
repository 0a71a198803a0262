// Graphport CUDA prelude: storage types, widening loads and rounding stores, elementwise helpers.
// Every generated kernel includes this first. Compiled by NVRTC with no system headers, so nothing here
// includes anything: half and bfloat16 are 16-bit patterns converted by hand (float32 math everywhere).
#pragma once

// The host emulation (kernels/HostEmulation) checks each load's and store's index against its buffer.
#ifndef GP_HOST_INDEX
#define GP_HOST_INDEX(pointer, index) (index)
#endif

namespace gp {

struct half_t { unsigned short bits; };
struct bf16_t { unsigned short bits; };

#ifdef GP_HOST_EMULATION
__device__ __forceinline__ float half_to_float(unsigned short h) { return gp_host::half_to_float(h); }
__device__ __forceinline__ unsigned short float_to_half(float f) { return gp_host::float_to_half(f); }
#else
__device__ __forceinline__ float half_to_float(unsigned short h) {
    float f;
    asm("cvt.f32.f16 %0, %1;" : "=f"(f) : "h"(h));
    return f;
}

__device__ __forceinline__ unsigned short float_to_half(float f) {
    unsigned short h;
    asm("cvt.rn.f16.f32 %0, %1;" : "=h"(h) : "f"(f));
    return h;
}
#endif

__device__ __forceinline__ float bf16_to_float(unsigned short b) { return __uint_as_float(((unsigned int)b) << 16); }

// Round to nearest even, NaN stays NaN (a quiet NaN pattern).
__device__ __forceinline__ unsigned short float_to_bf16(float f) {
    unsigned int u = __float_as_uint(f);
    if ((u & 0x7fffffffu) > 0x7f800000u) return (unsigned short)0x7fc0;
    u += 0x7fffu + ((u >> 16) & 1u);
    return (unsigned short)(u >> 16);
}

}  // namespace gp

// Loads widen to the compute type: float for float32/16/bf16, long long for integers.
__device__ __forceinline__ float gp_load(const float* p, long long i) { return p[GP_HOST_INDEX(p, i)]; }
__device__ __forceinline__ double gp_load(const double* p, long long i) { return p[GP_HOST_INDEX(p, i)]; }
__device__ __forceinline__ float gp_load(const gp::half_t* p, long long i) { return gp::half_to_float(p[GP_HOST_INDEX(p, i)].bits); }
__device__ __forceinline__ float gp_load(const gp::bf16_t* p, long long i) { return gp::bf16_to_float(p[GP_HOST_INDEX(p, i)].bits); }
__device__ __forceinline__ long long gp_load(const long long* p, long long i) { return p[GP_HOST_INDEX(p, i)]; }
__device__ __forceinline__ long long gp_load(const int* p, long long i) { return p[GP_HOST_INDEX(p, i)]; }
__device__ __forceinline__ long long gp_load(const signed char* p, long long i) { return p[GP_HOST_INDEX(p, i)]; }
__device__ __forceinline__ long long gp_load(const unsigned char* p, long long i) { return p[GP_HOST_INDEX(p, i)]; }
__device__ __forceinline__ bool gp_load(const bool* p, long long i) { return p[GP_HOST_INDEX(p, i)]; }

// An index read from a tensor that may count from the end (torch's x[idx] with idx = -1: the last).
__device__ __forceinline__ long long gp_wrap_index(long long i, long long n) { return i < 0 ? i + n : i; }

// Checks on the data a kernel reads (an index within the size it indexes, a split's counts that cover the rows): the
// first that fails (by its site, the planner's number for the op that checks, and the value read) is recorded here.
// The backend clears this before a run, reads it after, and fails the call naming the op
// (kernels/Planning/FaultSite.cs).
__device__ unsigned long long gp_index_faults[2];

__device__ __forceinline__ void gp_record_fault(unsigned int site, long long value) {
#ifdef GP_HOST_EMULATION
    // The emulation's threads switch only at barriers, so the test and the write cannot interleave.
    if (gp_index_faults[0] == 0) { gp_index_faults[0] = site + 1ull; gp_index_faults[1] = (unsigned long long)value; }
#else
    if (atomicCAS(&gp_index_faults[0], 0ull, site + 1ull) == 0ull) atomicExch(&gp_index_faults[1], (unsigned long long)value);
#endif
}

// An index read from a tensor the program takes or computes (embedding ids, gather and scatter indices) is checked
// against the size it indexes. One out of range would read or write outside a buffer, and a fault there is kept by
// the driver for the whole process; instead it is recorded and 0 used in its place.
__device__ __forceinline__ long long gp_checked_index(long long i, long long n, bool wrap_negative, unsigned int site) {
    long long at = wrap_negative && i < 0 ? i + n : i;
    if (at >= 0 && at < n) return at;
    gp_record_fault(site, i);
    return 0;
}

// Stores round to the storage type.
__device__ __forceinline__ void gp_store(float* p, long long i, float v) { p[GP_HOST_INDEX(p, i)] = v; }
__device__ __forceinline__ void gp_store(double* p, long long i, double v) { p[GP_HOST_INDEX(p, i)] = v; }
__device__ __forceinline__ void gp_store(gp::half_t* p, long long i, float v) { p[GP_HOST_INDEX(p, i)].bits = gp::float_to_half(v); }
__device__ __forceinline__ void gp_store(gp::bf16_t* p, long long i, float v) { p[GP_HOST_INDEX(p, i)].bits = gp::float_to_bf16(v); }
__device__ __forceinline__ void gp_store(long long* p, long long i, long long v) { p[GP_HOST_INDEX(p, i)] = v; }
__device__ __forceinline__ void gp_store(int* p, long long i, long long v) { p[GP_HOST_INDEX(p, i)] = (int)v; }
__device__ __forceinline__ void gp_store(signed char* p, long long i, long long v) { p[GP_HOST_INDEX(p, i)] = (signed char)v; }
__device__ __forceinline__ void gp_store(unsigned char* p, long long i, long long v) { p[GP_HOST_INDEX(p, i)] = (unsigned char)v; }
__device__ __forceinline__ void gp_store(bool* p, long long i, bool v) { p[GP_HOST_INDEX(p, i)] = v; }

// Accumulating stores (scatter_add, index_put with accumulate): threads that meet at an element add in turn. Float
// sums land in whatever order the threads arrive, as torch's CUDA scatter_add's do; integer sums are exact, wrapping
// as the storage type's do (two's complement adds of the low bits).
#ifdef GP_HOST_EMULATION
// The emulation's threads are fibers on one host thread that switch only at barriers: a plain add is atomic there.
template <typename T, typename V>
__device__ __forceinline__ void gp_atomic_add(T* p, long long i, V v) { p[GP_HOST_INDEX(p, i)] = (T)(p[GP_HOST_INDEX(p, i)] + (T)v); }
#else
__device__ __forceinline__ void gp_atomic_add(float* p, long long i, float v) { atomicAdd(p + i, v); }
__device__ __forceinline__ void gp_atomic_add(double* p, long long i, double v) { atomicAdd(p + i, v); }
__device__ __forceinline__ void gp_atomic_add(long long* p, long long i, long long v) {
    atomicAdd(reinterpret_cast<unsigned long long*>(p + i), (unsigned long long)v);
}
__device__ __forceinline__ void gp_atomic_add(int* p, long long i, long long v) { atomicAdd(p + i, (int)v); }
#endif

// NaN-propagating maximum/minimum, as torch.maximum and clamp behave.
template <typename T> __device__ __forceinline__ T gp_maximum(T a, T b) { return (a != a || a > b) ? a : b; }
template <typename T> __device__ __forceinline__ T gp_minimum(T a, T b) { return (a != a || a < b) ? a : b; }

// ReLU keeps NaN (NaN < 0 is false).
__device__ __forceinline__ float gp_relu(float x) { return x < 0.0f ? 0.0f : x; }
__device__ __forceinline__ double gp_relu(double x) { return x < 0.0 ? 0.0 : x; }
__device__ __forceinline__ long long gp_relu(long long x) { return x < 0 ? 0 : x; }

__device__ __forceinline__ float gp_sigmoid(float x) { return 1.0f / (1.0f + expf(-x)); }
__device__ __forceinline__ double gp_sigmoid(double x) { return 1.0 / (1.0 + exp(-x)); }

__device__ __forceinline__ float gp_gelu(float x) { return 0.5f * x * (1.0f + erff(x * 0.70710678118654752f)); }
__device__ __forceinline__ double gp_gelu(double x) { return 0.5 * x * (1.0 + erf(x * 0.70710678118654752)); }
__device__ __forceinline__ float gp_gelu_tanh(float x) { return 0.5f * x * (1.0f + tanhf(0.79788456080286536f * (x + 0.044715f * x * x * x))); }
__device__ __forceinline__ double gp_gelu_tanh(double x) { return 0.5 * x * (1.0 + tanh(0.79788456080286536 * (x + 0.044715 * x * x * x))); }

template <typename T> __device__ __forceinline__ T gp_sign(T x) { return (T)((x > (T)0) - (x < (T)0)); }

// Python's floor division and modulo (the sign follows the divisor).
__device__ __forceinline__ float gp_floor_div(float a, float b) { return floorf(a / b); }
__device__ __forceinline__ double gp_floor_div(double a, double b) { return floor(a / b); }
__device__ __forceinline__ long long gp_floor_div(long long a, long long b) { long long q = a / b; return (q * b != a && ((a < 0) != (b < 0))) ? q - 1 : q; }
__device__ __forceinline__ float gp_remainder(float a, float b) { float r = fmodf(a, b); return (r != 0.0f && ((r < 0.0f) != (b < 0.0f))) ? r + b : r; }
__device__ __forceinline__ double gp_remainder(double a, double b) { double r = fmod(a, b); return (r != 0.0 && ((r < 0.0) != (b < 0.0))) ? r + b : r; }
__device__ __forceinline__ long long gp_remainder(long long a, long long b) { long long r = a % b; return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r; }
__device__ __forceinline__ long long gp_pow(long long a, long long b) { long long r = 1; while (b-- > 0) r *= a; return r; }
__device__ __forceinline__ float gp_pow(float a, float b) { return powf(a, b); }
__device__ __forceinline__ double gp_pow(double a, double b) { return pow(a, b); }
__device__ __forceinline__ float gp_round(float x) { return rintf(x); }
__device__ __forceinline__ double gp_round(double x) { return rint(x); }

// Overloads for the templates, so float rows stay in float math.
__device__ __forceinline__ float gp_exp(float x) { return expf(x); }
__device__ __forceinline__ double gp_exp(double x) { return exp(x); }
__device__ __forceinline__ float gp_log(float x) { return logf(x); }
__device__ __forceinline__ double gp_log(double x) { return log(x); }
__device__ __forceinline__ float gp_sqrt(float x) { return sqrtf(x); }
__device__ __forceinline__ double gp_sqrt(double x) { return sqrt(x); }
