namespace Graphport.Kernels.Interop.Driver;

/// <summary>The device attributes the backend asks for (cuda.h's CUdevice_attribute values).</summary>
public enum CUdeviceAttribute
{
    MaxThreadsPerBlock = 1,
    MaxSharedMemoryPerBlock = 8,
    WarpSize = 10,
    ClockRate = 13,
    MultiprocessorCount = 16,
    MemoryClockRate = 36,
    GlobalMemoryBusWidth = 37,
    L2CacheSize = 38,
    ComputeCapabilityMajor = 75,
    ComputeCapabilityMinor = 76,
    MaxSharedMemoryPerBlockOptin = 97,
}

/// <summary>cuStreamBeginCapture modes; thread-local keeps other threads' CUDA calls legal while capturing.</summary>
public enum CUstreamCaptureMode
{
    Global = 0,
    ThreadLocal = 1,
    Relaxed = 2,
}

/// <summary>cuModuleLoadDataEx options used to get the JIT/loader error log.</summary>
public enum CUjitOption
{
    InfoLogBuffer = 3,
    InfoLogBufferSizeBytes = 4,
    ErrorLogBuffer = 5,
    ErrorLogBufferSizeBytes = 6,
}

/// <summary>Kernel attributes set with cuFuncSetAttribute.</summary>
public enum CUfunctionAttribute
{
    MaxThreadsPerBlock = 0,
    NumRegs = 4,
    MaxDynamicSharedSizeBytes = 8,
}

/// <summary>Flag constants of the driver API calls the backend makes.</summary>
public static class DriverFlags
{
    public const uint StreamNonBlocking = 0x1;
    public const uint EventDefault = 0x0;
    public const uint EventDisableTiming = 0x2;
    public const uint HostAllocPortable = 0x1;
    public const ulong GraphInstantiateUpload = 0x2;
}
