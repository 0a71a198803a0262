using System.Diagnostics.CodeAnalysis;
using System.Text;
using Graphport.Kernels.Interop;
using Graphport.Kernels.Interop.Driver;

namespace Graphport.Kernels.Runtime;

/// <summary>
/// One CUDA device with its primary context retained: what it is (name, compute capability, memory) and the
/// factory for everything that lives on it. Open it with <see cref="TryOpen"/>, which never throws for a machine
/// without a GPU or driver.
/// </summary>
public sealed class CudaDevice : IDisposable
{
    private static readonly Lock InitGate = new();
    private static (bool Ok, string Message)? initResult;

    private CudaDevice(int ordinal, int device, CudaContextHandle context)
    {
        Ordinal = ordinal;
        Handle = device;
        Context = context;
        Name = QueryName(device);
        ComputeMajor = Attribute(CUdeviceAttribute.ComputeCapabilityMajor);
        ComputeMinor = Attribute(CUdeviceAttribute.ComputeCapabilityMinor);
        MultiprocessorCount = Attribute(CUdeviceAttribute.MultiprocessorCount);
        CudaException.Check(NativeMethods.cuDeviceTotalMem(out var total, device), "cuDeviceTotalMem_v2");
        TotalMemory = (long)total;
        CudaException.Check(NativeMethods.cuDriverGetVersion(out var version), "cuDriverGetVersion");
        DriverVersion = version;
    }

    public int Ordinal { get; }

    internal int Handle { get; }

    internal CudaContextHandle Context { get; }

    public string Name { get; }

    public int ComputeMajor { get; }

    public int ComputeMinor { get; }

    /// <summary>NVRTC's real-architecture name for CUBIN output, "sm_90" on an H100.</summary>
    public string Architecture => $"sm_{ComputeMajor}{ComputeMinor}";

    public int MultiprocessorCount { get; }

    public long TotalMemory { get; }

    /// <summary>The driver's CUDA version, 13000 for CUDA 13.0.</summary>
    public int DriverVersion { get; }

    public override string ToString() =>
        $"{Name} ({Architecture}, {MultiprocessorCount} SMs, {DeviceBuffer.Format(TotalMemory)}, driver CUDA {DriverVersion / 1000}.{DriverVersion % 1000 / 10})";

    /// <summary>
    /// Opens device <paramref name="ordinal"/>. On a machine without a usable driver or device this returns false
    /// with <paramref name="message"/> = "no CUDA device: reason"; it does not throw.
    /// </summary>
    public static bool TryOpen([NotNullWhen(true)] out CudaDevice? device, out string message, int ordinal = 0)
    {
        bool opened = TryWithDevice(ordinal, handle =>
        {
            var context = CudaContextHandle.RetainPrimary(handle);
            try
            {
                context.MakeCurrent();
                return new CudaDevice(ordinal, handle, context);
            }
            catch
            {
                context.Dispose();
                throw;
            }
        }, out device, out message);
        if (opened) message = $"opened {device}";
        return opened;
    }

    /// <summary>
    /// Device <paramref name="ordinal"/>'s name and memory from the driver, without creating a context (no device
    /// memory taken, nothing for a later <see cref="TryOpen"/> to share): what a GPU silo announces in its metadata.
    /// False, with the reason, where there is no driver or no such device; it does not throw.
    /// </summary>
    public static bool TryDescribe(int ordinal, [NotNullWhen(true)] out string? name, out long totalMemory, out string message)
    {
        bool found = TryWithDevice(ordinal, handle =>
        {
            CudaException.Check(NativeMethods.cuDeviceTotalMem(out var total, handle), "cuDeviceTotalMem_v2");
            return new Description(QueryName(handle), (long)total);
        }, out var description, out message);
        (name, totalMemory) = (description?.Name, description?.TotalMemory ?? 0);
        if (found) message = $"{name}, {DeviceBuffer.Format(totalMemory)}";
        return found;
    }

    private sealed record Description(string Name, long TotalMemory);

    // The driver initialized, device `ordinal` present, its handle given to `use`; false with "no CUDA device: why"
    // for a missing driver, a missing device, or a driver call failing, never an exception.
    private static bool TryWithDevice<T>(int ordinal, Func<int, T> use, [NotNullWhen(true)] out T? result, out string message) where T : class
    {
        result = null;
        var (ok, why) = Initialize();
        if (!ok)
        {
            message = $"no CUDA device: {why}";
            return false;
        }
        try
        {
            var count = CheckedCount();
            if (ordinal < 0 || ordinal >= count)
            {
                message = $"no CUDA device: ordinal {ordinal} requested but the driver sees {count} device(s)";
                return false;
            }
            CudaException.Check(NativeMethods.cuDeviceGet(out var handle, ordinal), "cuDeviceGet");
            result = use(handle);
            message = "";
            return true;
        }
        catch (Exception e) when (e is CudaException or EntryPointNotFoundException or DllNotFoundException)
        {
            message = $"no CUDA device: {e.Message}";
            return false;
        }
    }

    /// <summary>True when a device can be opened; the reason otherwise. Cheap after the first call.</summary>
    public static bool IsAvailable(out string message)
    {
        if (!TryOpen(out var device, out message)) return false;
        device.Dispose();
        return true;
    }

    private static int CheckedCount()
    {
        CudaException.Check(NativeMethods.cuDeviceGetCount(out var count), "cuDeviceGetCount");
        return count;
    }

    // cuInit once per process; its answer (including "no device") does not change while the process runs.
    private static (bool, string) Initialize()
    {
        lock (InitGate)
        {
            if (initResult is { } known) return known;
            CudaLibraryResolver.EnsureRegistered();
            if (!CudaLibraryResolver.TryLoad(CudaLibrary.Driver, out _, out var loadMessage))
                return (initResult = (false, loadMessage)).Value;
            try
            {
                var result = NativeMethods.cuInit(0);
                initResult = result == CUresult.Success ? (true, "initialized") : (false, $"cuInit failed: {CudaException.Describe(result)}");
            }
            catch (EntryPointNotFoundException e)
            {
                initResult = (false, $"libcuda.so.1 lacks a driver entry point ({e.Message}); is it the toolkit's stub library?");
            }
            return initResult.Value;
        }
    }

    /// <summary>Makes this device's context current on the calling thread; every public entry point does this first.</summary>
    public void Bind() => Context.MakeCurrent();

    public int Attribute(CUdeviceAttribute attribute)
    {
        CudaException.Check(NativeMethods.cuDeviceGetAttribute(out var value, attribute, Handle), "cuDeviceGetAttribute");
        return value;
    }

    public (long Free, long Total) MemoryInfo()
    {
        Bind();
        CudaException.Check(NativeMethods.cuMemGetInfo(out var free, out var total), "cuMemGetInfo_v2");
        return ((long)free, (long)total);
    }

    public DeviceBuffer Allocate(long bytes)
    {
        Bind();
        return new DeviceBuffer(Context, bytes);
    }

    public PinnedHostBuffer AllocatePinned(long bytes)
    {
        Bind();
        return new PinnedHostBuffer(Context, bytes);
    }

    public CudaStream CreateStream()
    {
        Bind();
        return new CudaStream(Context);
    }

    public CudaEvent CreateEvent(bool timing = true)
    {
        Bind();
        return new CudaEvent(Context, timing);
    }

    public CudaModule LoadModule(byte[] cubin)
    {
        Bind();
        return new CudaModule(Context, cubin);
    }

    public void Synchronize()
    {
        Bind();
        CudaException.Check(NativeMethods.cuCtxSynchronize(), "cuCtxSynchronize");
    }

    /// <summary>Copies host bytes to device memory and waits (used for weights at compile time).</summary>
    public unsafe void Upload(ulong destination, ReadOnlySpan<byte> source)
    {
        Bind();
        fixed (byte* p = source)
            CudaException.Check(NativeMethods.cuMemcpyHtoD(destination, (nint)p, (nuint)source.Length), "cuMemcpyHtoD_v2");
    }

    public unsafe void Download(Span<byte> destination, ulong source)
    {
        Bind();
        fixed (byte* p = destination)
            CudaException.Check(NativeMethods.cuMemcpyDtoH((nint)p, source, (nuint)destination.Length), "cuMemcpyDtoH_v2");
    }

    private static unsafe string QueryName(int device)
    {
        var buffer = stackalloc byte[256];
        CudaException.Check(NativeMethods.cuDeviceGetName(buffer, 256, device), "cuDeviceGetName");
        var length = 0;
        while (length < 256 && buffer[length] != 0) length++;
        return Encoding.UTF8.GetString(buffer, length);
    }

    public void Dispose() => Context.Dispose();
}
