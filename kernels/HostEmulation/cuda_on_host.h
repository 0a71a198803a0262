// Graphport CUDA-on-host shim (kernels/HostEmulation/HostCudaModule.cs): compiles the CUDA C that NVRTC builds
// for the device - kernels/Cuda/*.cu and the generated kernels, unchanged - as C++ for the CPU, so machines
// without a GPU run the very source the device runs. Each CUDA thread of a block is a fiber (ucontext) with its
// own stack; a block's fibers run one at a time and switch only at __syncthreads and warp shuffles, which
// therefore behave as on the device (a barrier waits for every live thread of the block, a shuffle for every
// live lane of the warp). Blocks run one after another. Loads and stores through gp_load/gp_store are checked
// against the buffers the launch was given, and a block whose threads wait at different barriers is reported,
// not hung. Included (g++ -include) before the sources; nothing here is seen by NVRTC.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <utility>
#include <vector>
#include <ucontext.h>

#define GP_HOST_EMULATION 1
#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __restrict__ __restrict
#define __launch_bounds__(...)
// One launch runs at a time per library (the .NET side holds a lock), and blocks run in turn, so a static is
// exactly one block's shared memory.
#define __shared__ static

#define __align__(n) __attribute__((aligned(n)))

struct gp_uint3 { unsigned int x, y, z; };
struct alignas(16) float4 { float x, y, z, w; };

namespace gp_host {

enum class FiberState { Ready, AtBlockBarrier, AtWarpBarrier, Done };

struct Fiber {
    ucontext_t context;
    FiberState state;
    char* stack;
};

// What one launch needs while its fibers run.
struct Launch {
    std::vector<Fiber> fibers;
    std::vector<unsigned long long> exchange;  // a warp shuffle's values, one slot per thread
    ucontext_t scheduler;
    int current = -1;
    const char* kernel = "";
    const void* const* bases = nullptr;
    const unsigned long long* bytes = nullptr;
    int buffers = 0;
    bool failed = false;
    char message[1024];
    void (*body)(void*) = nullptr;
    void* body_state = nullptr;
};

// Fiber stacks: generated kernels keep at most a few dozen registers' worth of locals.
constexpr std::size_t StackBytes = 256 * 1024;

inline Launch state;
inline gp_uint3 thread_idx, block_idx, block_dim, grid_dim;

inline void fail(const char* text) {
    if (state.failed) return;
    state.failed = true;
    std::snprintf(state.message, sizeof(state.message), "%s", text);
}

// Where gp_load/gp_store index a launch argument, the element must lie inside that buffer; outside, the access
// is redirected to element 0 (so the process survives) and the launch fails with the kernel, parameter and index.
template <typename T>
inline long long checked_index(const T* pointer, long long index) {
    for (int b = 0; b < state.buffers; b++) {
        if (static_cast<const void*>(pointer) != state.bases[b]) continue;
        const unsigned long long elements = state.bytes[b] / sizeof(T);
        if (index >= 0 && static_cast<unsigned long long>(index) < elements) return index;
        char text[512];
        std::snprintf(text, sizeof(text),
                      "%s: thread %u of block %u reads or writes element %lld of parameter %d, which holds %llu elements",
                      state.kernel, thread_idx.x, block_idx.x, index, b, elements);
        fail(text);
        return 0;
    }
    return index;
}

inline void wait(FiberState why) {
    const int me = state.current;
    state.fibers[me].state = why;
    swapcontext(&state.fibers[me].context, &state.scheduler);
}

inline void fiber_entry() {
    state.body(state.body_state);
    state.fibers[state.current].state = FiberState::Done;
    swapcontext(&state.fibers[state.current].context, &state.scheduler);
}

// Releases the threads waiting at a barrier once every live thread of their group waits there; false when
// nothing can run any more (threads wait at different barriers: the kernel would hang on the device).
inline bool release() {
    const int threads = static_cast<int>(state.fibers.size());
    bool released = false;
    for (int warp = 0; warp < threads; warp += 32) {
        const int end = warp + 32 < threads ? warp + 32 : threads;
        bool waiting = false, all = true;
        for (int t = warp; t < end; t++) {
            const FiberState s = state.fibers[t].state;
            if (s == FiberState::AtWarpBarrier) waiting = true;
            else if (s != FiberState::Done) all = false;
        }
        if (!waiting || !all) continue;
        for (int t = warp; t < end; t++)
            if (state.fibers[t].state == FiberState::AtWarpBarrier) state.fibers[t].state = FiberState::Ready;
        released = true;
    }
    if (released) return true;
    int atBlock = 0, atWarp = 0, live = 0;
    for (const Fiber& f : state.fibers) {
        if (f.state == FiberState::Done) continue;
        live++;
        if (f.state == FiberState::AtBlockBarrier) atBlock++;
        if (f.state == FiberState::AtWarpBarrier) atWarp++;
    }
    if (live > 0 && atBlock == live) {
        for (Fiber& f : state.fibers)
            if (f.state == FiberState::AtBlockBarrier) f.state = FiberState::Ready;
        return true;
    }
    char text[512];
    std::snprintf(text, sizeof(text),
                  "%s: block %u would hang: of its %d live threads %d wait at __syncthreads and %d at a warp shuffle whose warp is not all there",
                  state.kernel, block_idx.x, live, atBlock, atWarp);
    fail(text);
    return false;
}

inline bool run_block(unsigned int threads) {
    for (unsigned int t = 0; t < threads; t++) {
        Fiber& f = state.fibers[t];
        getcontext(&f.context);
        f.context.uc_stack.ss_sp = f.stack;
        f.context.uc_stack.ss_size = StackBytes;
        f.context.uc_link = nullptr;
        makecontext(&f.context, fiber_entry, 0);
        f.state = FiberState::Ready;
    }
    for (;;) {
        bool done = true;
        for (unsigned int t = 0; t < threads; t++) {
            if (state.fibers[t].state == FiberState::Ready) {
                state.current = static_cast<int>(t);
                thread_idx = {t, 0, 0};
                swapcontext(&state.scheduler, &state.fibers[t].context);
            }
            if (state.fibers[t].state != FiberState::Done) done = false;
        }
        if (done) return true;
        if (!release()) return false;
    }
}

template <typename Body>
inline int launch(const char* kernel, Body body, unsigned int grid, unsigned int block, const void* const* bases,
                  const unsigned long long* bytes, int buffers, char* message, int message_size) {
    state.kernel = kernel;
    state.bases = bases;
    state.bytes = bytes;
    state.buffers = buffers;
    state.failed = false;
    state.message[0] = '\0';
    state.body = [](void* s) { (*static_cast<Body*>(s))(); };
    state.body_state = &body;
    if (state.fibers.size() != block) {
        for (Fiber& f : state.fibers) std::free(f.stack);
        state.fibers.assign(block, Fiber{});
        for (Fiber& f : state.fibers) f.stack = static_cast<char*>(std::malloc(StackBytes));
    }
    state.exchange.assign(block, 0);
    grid_dim = {grid, 1, 1};
    block_dim = {block, 1, 1};
    for (unsigned int b = 0; b < grid && !state.failed; b++) {
        block_idx = {b, 0, 0};
        if (!run_block(block)) break;
    }
    std::snprintf(message, static_cast<std::size_t>(message_size), "%s", state.message);
    return state.failed ? 1 : 0;
}

template <typename... P, std::size_t... I>
inline void call(void (*kernel)(P...), void* const* args, std::index_sequence<I...>) {
    kernel(static_cast<P>(args[I])...);
}

template <typename... P>
inline void call(void (*kernel)(P...), void* const* args) {
    call(kernel, args, std::index_sequence_for<P...>{});
}

inline float half_to_float(unsigned short h) {
    _Float16 v;
    std::memcpy(&v, &h, sizeof(h));
    return static_cast<float>(v);
}

inline unsigned short float_to_half(float f) {
    const _Float16 v = static_cast<_Float16>(f);  // round to nearest even, as cvt.rn.f16.f32
    unsigned short h;
    std::memcpy(&h, &v, sizeof(h));
    return h;
}

}  // namespace gp_host

#define threadIdx (gp_host::thread_idx)
#define blockIdx (gp_host::block_idx)
#define blockDim (gp_host::block_dim)
#define gridDim (gp_host::grid_dim)
#define GP_HOST_INDEX(pointer, index) gp_host::checked_index(pointer, index)

inline void __syncthreads() { gp_host::wait(gp_host::FiberState::AtBlockBarrier); }

namespace gp_host {

// Every live lane of the warp posts its value, then reads the one of the lane source_of(its lane) names (its own for
// -1, or where that lane does not run); the second wait keeps a fast lane from overwriting its slot before a slow one
// has read it.
template <typename T, typename Source>
inline T shuffle(T value, Source source_of) {
    static_assert(sizeof(T) <= sizeof(unsigned long long), "shuffles move at most 8 bytes");
    const int me = state.current;
    std::memcpy(&state.exchange[me], &value, sizeof(T));
    wait(FiberState::AtWarpBarrier);
    const int lane = source_of(me & 31);
    const int source = (me & ~31) | lane;
    T result = value;
    if (lane >= 0 && source < static_cast<int>(state.fibers.size())) std::memcpy(&result, &state.exchange[source], sizeof(T));
    wait(FiberState::AtWarpBarrier);
    return result;
}

}  // namespace gp_host

template <typename T>
inline T __shfl_xor_sync(unsigned int, T value, int lane_mask) {
    return gp_host::shuffle(value, [lane_mask](int lane) { return lane ^ lane_mask; });
}

// The lane delta below (none below lane delta: the lane keeps its own value).
template <typename T>
inline T __shfl_up_sync(unsigned int, T value, unsigned int delta) {
    return gp_host::shuffle(value, [delta](int lane) { return lane >= static_cast<int>(delta) ? lane - static_cast<int>(delta) : -1; });
}

template <typename T>
inline T __shfl_sync(unsigned int, T value, int source_lane) {
    return gp_host::shuffle(value, [source_lane](int) { return source_lane & 31; });
}

inline float __int_as_float(int i) { float f; std::memcpy(&f, &i, sizeof(f)); return f; }
inline float __uint_as_float(unsigned int u) { float f; std::memcpy(&f, &u, sizeof(f)); return f; }
inline unsigned int __float_as_uint(float f) { unsigned int u; std::memcpy(&u, &f, sizeof(u)); return u; }
inline double __longlong_as_double(long long i) { double d; std::memcpy(&d, &i, sizeof(d)); return d; }
inline float rsqrtf(float x) { return 1.0f / std::sqrt(x); }
// CUDA's I0 is its own function; the C++17 special functions give it as the cylindrical Bessel I of order 0.
inline float cyl_bessel_i0f(float x) { return std::cyl_bessel_if(0.0f, std::fabs(x)); }
inline double cyl_bessel_i0(double x) { return std::cyl_bessel_i(0.0, std::fabs(x)); }
inline double rsqrt(double x) { return 1.0 / std::sqrt(x); }

// Each generated kernel gets a C entry point the .NET side calls: arguments as pointers, their byte sizes for the
// bounds checks, the launch shape, and a buffer for what went wrong. Returns 0 when the launch ran cleanly.
#define GP_HOST_KERNEL(name)                                                                                        \
    extern "C" __attribute__((visibility("default"))) int gp_host_run_##name(void* const* args, const unsigned long long* bytes, int count,                \
                                      unsigned int grid, unsigned int block, char* message, int message_size) {     \
        return gp_host::launch(#name, [args] { gp_host::call(name, args); }, grid, block,                           \
                               const_cast<const void* const*>(args), bytes, count, message, message_size);          \
    }

// The index faults the module's kernels recorded (kernels/Cuda/prelude.cu, gp_checked_index), read and cleared:
// expanded after the module's source, where gp_index_faults is declared.
#define GP_HOST_INDEX_FAULTS()                                                                                      \
    extern "C" __attribute__((visibility("default"))) void gp_host_take_index_faults(unsigned long long* out) {     \
        out[0] = gp_index_faults[0];                                                                                \
        out[1] = gp_index_faults[1];                                                                                \
        gp_index_faults[0] = gp_index_faults[1] = 0;                                                                \
    }
