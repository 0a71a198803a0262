using System.Runtime.InteropServices;
using Graphport.Kernels.Interop.Driver;

namespace Graphport.Kernels.Runtime;

/// <summary>
/// One prepared kernel launch: grid, block and the argument block cuLaunchKernel wants (an array of pointers to
/// the argument values), built once in unmanaged memory so launching allocates nothing and boxes nothing.
/// Arguments are 8-byte values: device pointers and 64-bit integers.
/// </summary>
public sealed unsafe class KernelLaunch : IDisposable
{
    private readonly nint* pointers;
    private readonly ulong* values;
    private readonly int count;

    public KernelLaunch(CudaFunction function, uint gridX, uint blockX, uint sharedMemoryBytes, IReadOnlyList<ulong> arguments)
    {
        Function = function;
        GridX = gridX;
        BlockX = blockX;
        SharedMemoryBytes = sharedMemoryBytes;
        count = arguments.Count;
        values = (ulong*)NativeMemory.Alloc((nuint)Math.Max(count, 1), sizeof(ulong));
        pointers = (nint*)NativeMemory.Alloc((nuint)Math.Max(count, 1), (nuint)sizeof(nint));
        for (int i = 0; i < count; i++)
        {
            values[i] = arguments[i];
            pointers[i] = (nint)(values + i);
        }
    }

    public CudaFunction Function { get; }

    public uint GridX { get; }

    public uint BlockX { get; }

    public uint SharedMemoryBytes { get; }

    public void Launch(CudaStream stream) =>
        CudaException.Check(NativeMethods.cuLaunchKernel(Function.Raw, GridX, 1, 1, BlockX, 1, 1, SharedMemoryBytes, stream.Raw, pointers, null), $"cuLaunchKernel({Function.Name})");

    private int freed;

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    ~KernelLaunch() => Free();

    private void Free()
    {
        if (Interlocked.Exchange(ref freed, 1) != 0) return;
        NativeMemory.Free(values);
        NativeMemory.Free(pointers);
    }
}
