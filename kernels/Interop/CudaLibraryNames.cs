namespace Graphport.Kernels.Interop;

/// <summary>
/// Logical library names written in the <c>LibraryImport</c> attributes and the file names each stands for.
/// The logical names are deliberately not file names: only <see cref="CudaLibraryResolver"/> decides what loads.
/// </summary>
internal static class CudaLibraryNames
{
    public const string Driver = "graphport-cuda-driver";
    public const string Nvrtc = "graphport-cuda-nvrtc";
    public const string CublasLt = "graphport-cuda-cublaslt";

    public static CudaLibrary? FromLogicalName(string name) => name switch
    {
        Driver => CudaLibrary.Driver,
        Nvrtc => CudaLibrary.Nvrtc,
        CublasLt => CudaLibrary.CublasLt,
        _ => null,
    };

    /// <summary>
    /// Shared-object names to try, newest CUDA major first. The driver is only ever <c>libcuda.so.1</c>: a bare
    /// <c>libcuda.so</c> is usually the toolkit's link-time stub, which loads but fails every call.
    /// </summary>
    public static IReadOnlyList<string> FileNames(CudaLibrary library) => library switch
    {
        CudaLibrary.Driver => ["libcuda.so.1"],
        CudaLibrary.Nvrtc => ["libnvrtc.so.13", "libnvrtc.so.12"],
        CudaLibrary.CublasLt => ["libcublasLt.so.13", "libcublasLt.so.12"],
        _ => throw new ArgumentOutOfRangeException(nameof(library), library, "Unknown CUDA library."),
    };

    /// <summary>
    /// The pip wheel folders (under <c>site-packages/nvidia/</c>) that ship a given file: the CUDA 13 wheels put
    /// every library in <c>cu13/lib</c>, the CUDA 12 wheels one folder per component.
    /// </summary>
    public static IReadOnlyList<string> WheelFolders(string fileName) => fileName switch
    {
        _ when fileName.StartsWith("libnvrtc.so.13", StringComparison.Ordinal) => ["cu13/lib", "cuda_nvrtc/lib"],
        _ when fileName.StartsWith("libnvrtc.so.12", StringComparison.Ordinal) => ["cuda_nvrtc/lib", "cu12/lib"],
        _ when fileName.StartsWith("libcublasLt.so.13", StringComparison.Ordinal) => ["cu13/lib", "cublas/lib"],
        _ when fileName.StartsWith("libcublasLt.so.12", StringComparison.Ordinal) => ["cublas/lib", "cu12/lib"],
        _ => [],
    };
}
