using Graphport.Kernels.Interop.Driver;
using Graphport.Kernels.Runtime;

namespace Graphport.GpuBench;

/// <summary>
/// The device's memory bandwidth on paper: 2 transfers per clock x memory clock x bus width, from the driver's
/// attributes; where the driver no longer reports the clock (CUDA 13 deprecates it), the datasheet figure by name.
/// </summary>
public sealed record PeakBandwidth(double? GigabytesPerSecond, string Source, int? MemoryClockKhz, int? BusWidthBits)
{
    public static PeakBandwidth Of(CudaDevice device)
    {
        int? clock = TryAttribute(device, CUdeviceAttribute.MemoryClockRate);
        int? bus = TryAttribute(device, CUdeviceAttribute.GlobalMemoryBusWidth);
        if (clock is > 0 && bus is > 0)
            return new(2.0 * clock.Value * 1e3 * (bus.Value / 8.0) / 1e9, "driver attributes: 2 x memory clock x bus width", clock, bus);
        return new(Datasheet(device.Name), $"datasheet by device name ({device.Name})", clock, bus);
    }

    public static double? Datasheet(string name) =>
        name.Contains("H200", StringComparison.OrdinalIgnoreCase) ? 4800
        : name.Contains("H100", StringComparison.OrdinalIgnoreCase) && name.Contains("PCIe", StringComparison.OrdinalIgnoreCase) ? 2000
        : name.Contains("H100", StringComparison.OrdinalIgnoreCase) && name.Contains("NVL", StringComparison.OrdinalIgnoreCase) ? 3900
        : name.Contains("H100", StringComparison.OrdinalIgnoreCase) ? 3350
        : name.Contains("A100", StringComparison.OrdinalIgnoreCase) ? 2039
        : null;

    private static int? TryAttribute(CudaDevice device, CUdeviceAttribute attribute)
    {
        try
        {
            return device.Attribute(attribute);
        }
        catch (CudaException)
        {
            return null;
        }
    }
}
