using System.Runtime.InteropServices;

namespace Graphport.Kernels.Interop.CublasLt;

/// <summary>cublasLtMatmulHeuristicResult_t: an algorithm (64 opaque bytes) and the workspace it needs.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct MatmulHeuristicResult
{
    public fixed ulong Algo[8];
    public nuint WorkspaceSize;
    public CublasStatus State;
    public float WavesCount;
    public fixed int Reserved[4];
}
