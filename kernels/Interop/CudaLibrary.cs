namespace Graphport.Kernels.Interop;

/// <summary>
/// The three NVIDIA libraries the CUDA backend binds, by the logical names its <c>LibraryImport</c>s use. The
/// resolver (<see cref="CudaLibraryResolver"/>) maps each logical name to a real shared object at run time, so
/// nothing is loaded (and nothing fails) until the backend is first used.
/// </summary>
public enum CudaLibrary
{
    /// <summary>The driver API, <c>libcuda.so.1</c>, installed with the NVIDIA driver.</summary>
    Driver,

    /// <summary>The runtime compiler, <c>libnvrtc.so.13</c> (or <c>.12</c>).</summary>
    Nvrtc,

    /// <summary>cuBLASLt, <c>libcublasLt.so.13</c> (or <c>.12</c>).</summary>
    CublasLt,
}
