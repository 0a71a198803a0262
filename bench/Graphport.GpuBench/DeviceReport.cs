using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Graphport.Kernels.Compilation;
using Graphport.Kernels.Interop;
using Graphport.Kernels.Interop.Driver;
using Graphport.Kernels.Runtime;

namespace Graphport.GpuBench;

/// <summary>
/// device.json: whether a CUDA device opened (and if not, the backend's "no CUDA device: ..." sentence), what it
/// is, which library files the resolver loaded, NVRTC's version, and the host that ran the bench.
/// </summary>
public static class DeviceReport
{
    public static string Write(BenchContext context)
    {
        var libraries = new JsonObject();
        foreach (var library in Enum.GetValues<CudaLibrary>())
        {
            CudaLibraryResolver.EnsureRegistered();
            bool loaded = CudaLibraryResolver.TryLoad(library, out _, out var message);
            libraries[library.ToString()] = new JsonObject { ["loaded"] = loaded, ["message"] = message };
        }
        var report = new JsonObject
        {
            ["available"] = context.Device is not null,
            ["message"] = context.DeviceMessage,
            ["timestamp_utc"] = DateTime.UtcNow.ToString("o"),
            ["libraries"] = libraries,
            ["nvrtc_version"] = Guarded(() => NvrtcCompiler.Version()),
            ["nvrtc_options"] = JsonOut.Strings(NvrtcCompiler.BaseOptions),
            // What a GPU silo announces in its metadata (GpuMetadata), asked without a context: it must name the device opened above.
            ["described_without_context"] = CudaDevice.TryDescribe(0, out var described, out long describedMemory, out var describeMessage)
                ? new JsonObject { ["name"] = described, ["total_memory_bytes"] = describedMemory }
                : new JsonObject { ["problem"] = describeMessage },
            ["host"] = new JsonObject
            {
                ["runtime"] = RuntimeInformation.FrameworkDescription,
                ["os"] = RuntimeInformation.OSDescription,
                ["rid"] = RuntimeInformation.RuntimeIdentifier,
                ["cpu_count"] = Environment.ProcessorCount,
                ["machine"] = Environment.MachineName,
            },
        };
        if (context.Device is { } device)
        {
            report["name"] = device.Name;
            report["description"] = device.ToString();
            report["architecture"] = device.Architecture;
            report["compute_capability"] = $"{device.ComputeMajor}.{device.ComputeMinor}";
            report["multiprocessors"] = device.MultiprocessorCount;
            report["total_memory_bytes"] = device.TotalMemory;
            report["driver_cuda_version"] = $"{device.DriverVersion / 1000}.{device.DriverVersion % 1000 / 10}";
            var peak = PeakBandwidth.Of(device);
            report["memory_clock_khz"] = peak.MemoryClockKhz;
            report["memory_bus_bits"] = peak.BusWidthBits;
            report["peak_bandwidth_gbs"] = JsonOut.Number(peak.GigabytesPerSecond);
            report["peak_bandwidth_source"] = peak.Source;
            report["l2_bytes"] = Guarded(() => device.Attribute(CUdeviceAttribute.L2CacheSize));
            report["max_shared_memory_per_block_optin"] = Guarded(() => device.Attribute(CUdeviceAttribute.MaxSharedMemoryPerBlockOptin));
            try
            {
                var (free, total) = device.MemoryInfo();
                report["free_memory_bytes"] = free;
                report["total_memory_bytes_meminfo"] = total;
            }
            catch (CudaException e)
            {
                report["memory_info_error"] = e.Message;
            }
        }
        JsonOut.Write(context.PathOf("device.json"), report);
        context.Say(context.Device is { } d ? $"device: {d}" : $"device: {context.DeviceMessage}");
        return context.DeviceMessage;
    }

    private static JsonNode? Guarded<T>(Func<T> read)
    {
        try
        {
            return JsonValue.Create(read());
        }
        catch (Exception e)
        {
            return JsonValue.Create($"error: {e.Message}");
        }
    }
}
