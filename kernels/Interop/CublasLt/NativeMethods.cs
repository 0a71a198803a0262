using System.Runtime.InteropServices;

namespace Graphport.Kernels.Interop.CublasLt;

/// <summary>
/// cuBLASLt (libcublasLt.so.13 or .12): matrix products with a fused bias and ReLU/GELU epilogue, an explicit
/// workspace and stream, so they can be captured into CUDA graphs.
/// </summary>
internal static partial class NativeMethods
{
    private const string Lib = CudaLibraryNames.CublasLt;

    [LibraryImport(Lib, EntryPoint = "cublasLtGetVersion")]
    internal static partial nuint cublasLtGetVersion();

    [LibraryImport(Lib, EntryPoint = "cublasLtCreate")]
    internal static partial CublasStatus cublasLtCreate(out nint handle);

    [LibraryImport(Lib, EntryPoint = "cublasLtDestroy")]
    internal static partial CublasStatus cublasLtDestroy(nint handle);

    [LibraryImport(Lib, EntryPoint = "cublasLtMatmulDescCreate")]
    internal static partial CublasStatus cublasLtMatmulDescCreate(out nint desc, CublasComputeType computeType, CudaDataType scaleType);

    [LibraryImport(Lib, EntryPoint = "cublasLtMatmulDescSetAttribute")]
    internal static partial CublasStatus cublasLtMatmulDescSetAttribute(nint desc, MatmulDescAttribute attribute, nint buffer, nuint size);

    [LibraryImport(Lib, EntryPoint = "cublasLtMatmulDescDestroy")]
    internal static partial CublasStatus cublasLtMatmulDescDestroy(nint desc);

    [LibraryImport(Lib, EntryPoint = "cublasLtMatrixLayoutCreate")]
    internal static partial CublasStatus cublasLtMatrixLayoutCreate(out nint layout, CudaDataType type, ulong rows, ulong cols, long leadingDimension);

    [LibraryImport(Lib, EntryPoint = "cublasLtMatrixLayoutSetAttribute")]
    internal static partial CublasStatus cublasLtMatrixLayoutSetAttribute(nint layout, MatrixLayoutAttribute attribute, nint buffer, nuint size);

    [LibraryImport(Lib, EntryPoint = "cublasLtMatrixLayoutDestroy")]
    internal static partial CublasStatus cublasLtMatrixLayoutDestroy(nint layout);

    [LibraryImport(Lib, EntryPoint = "cublasLtMatmulPreferenceCreate")]
    internal static partial CublasStatus cublasLtMatmulPreferenceCreate(out nint preference);

    [LibraryImport(Lib, EntryPoint = "cublasLtMatmulPreferenceSetAttribute")]
    internal static partial CublasStatus cublasLtMatmulPreferenceSetAttribute(nint preference, MatmulPreferenceAttribute attribute, nint buffer, nuint size);

    [LibraryImport(Lib, EntryPoint = "cublasLtMatmulPreferenceDestroy")]
    internal static partial CublasStatus cublasLtMatmulPreferenceDestroy(nint preference);

    [LibraryImport(Lib, EntryPoint = "cublasLtMatmulAlgoGetHeuristic")]
    internal static unsafe partial CublasStatus cublasLtMatmulAlgoGetHeuristic(nint handle, nint operationDesc, nint aDesc, nint bDesc, nint cDesc, nint dDesc,
        nint preference, int requestedAlgoCount, MatmulHeuristicResult* results, out int returnedAlgoCount);

    [LibraryImport(Lib, EntryPoint = "cublasLtMatmul")]
    internal static unsafe partial CublasStatus cublasLtMatmul(nint handle, nint computeDesc, void* alpha, ulong a, nint aDesc, ulong b, nint bDesc, void* beta,
        ulong c, nint cDesc, ulong d, nint dDesc, ulong* algo, ulong workspace, nuint workspaceSize, nint stream);
}
