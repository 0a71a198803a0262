using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Graphport.Bench;
using Graphport.Kernels;
using Graphport.Kernels.Codegen;
using Graphport.Kernels.Compilation;
using Graphport.Kernels.Planning;
using Graphport.Kernels.Runtime;

namespace Graphport.GpuBench;

/// <summary>
/// bandwidth.json: a large float32 add c = a + b (64 Mi elements, 256 MiB per tensor, 768 MiB moved per call)
/// three ways, each timed with CUDA events and checked: a device-to-device copy (the practical ceiling), a
/// hand-written float4 kernel, and the kernel Graphport generates for an exported `x + y`, launched exactly as the
/// backend launches it. GB/s count bytes read plus bytes written; the peak is the device's paper figure.
/// </summary>
public static class Bandwidth
{
    private const float A = 1.0f, B = 2.0f;

    private const string HandSource = """
        extern "C" __global__ void bandwidth_add_float4(const float4* __restrict__ a, const float4* __restrict__ b, float4* __restrict__ c, long long n4)
        {
            long long stride = (long long)gridDim.x * blockDim.x;
            for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < n4; i += stride)
            {
                float4 x = a[i], y = b[i];
                c[i] = make_float4(x.x + y.x, x.y + y.y, x.z + y.z, x.w + y.w);
            }
        }
        """;

    public static string Run(BenchContext context)
    {
        long elements = context.Options.Quick ? 1L << 20 : 64L << 20;
        long bytes = elements * sizeof(float);
        var root = new JsonObject
        {
            ["op"] = "c = a + b, float32",
            ["elements"] = elements,
            ["bytes_per_tensor"] = bytes,
            ["bytes_moved_per_add"] = 3 * bytes,
            ["counting"] = "bytes read + bytes written, GB = 1e9 bytes",
        };
        var file = context.PathOf("bandwidth.json");

        // Graphport's kernel for x + y: planned and rendered here, on any machine.
        var plan = CudaCompiler.Plan(AddProgram(elements));
        var kernels = plan.GeneratedKernels.ToList();
        var source = CudaRenderer.RenderModule(kernels);
        root["generated"] = new JsonObject
        {
            ["kernels"] = JsonOut.Strings(kernels.Select(k => k.Name)),
            ["other_steps"] = JsonOut.Strings(plan.Steps.Where(s => !s.IsGenerated).Select(s => s.Name)),
            ["arena_bytes"] = plan.Memory.ArenaBytes,
            ["source"] = JsonOut.Cap(string.Join("\n", kernels.Select(k => CudaRenderer.Render(k))), 4000),
        };
        JsonOut.Write(file, root);
        if (context.Device is not { } device)
        {
            root["skipped"] = context.DeviceMessage;
            JsonOut.Write(file, root);
            return $"planned {kernels.Count} kernel(s); not timed: {context.DeviceMessage}";
        }

        var peak = PeakBandwidth.Of(device);
        root["peak_gbs"] = JsonOut.Number(peak.GigabytesPerSecond);
        root["peak_source"] = peak.Source;
        var results = new JsonObject();
        root["results"] = results;
        var compiler = new NvrtcCompiler(new KernelCache(new LocalFolderBlobStore(context.KernelCacheFolder)));
        using var stream = device.CreateStream();
        using var a = device.Allocate(bytes);
        using var b = device.Allocate(bytes);
        using var c = device.Allocate(bytes);

        Measure(results, "device_to_device_copy", 2 * bytes, peak, context, () =>
        {
            stream.Fill32(a.Pointer, BitsOf(A), elements);
            var ms = TimeMs(device, stream, s => s.CopyOnDevice(c.Pointer, a.Pointer, bytes));
            return (ms, Check(device, c.Pointer, elements, A));
        });
        JsonOut.Write(file, root);

        Measure(results, "hand_written_float4_add", 3 * bytes, peak, context, () =>
        {
            using var module = device.LoadModule(compiler.Compile(HandSource, "bandwidth_add.cu", device.Architecture, []));
            uint grid = (uint)Math.Clamp(elements / 4 / 256, 1, device.MultiprocessorCount * 16L);
            using var launch = new KernelLaunch(module.GetFunction("bandwidth_add_float4"), grid, 256, 0, [a.Pointer, b.Pointer, c.Pointer, (ulong)(elements / 4)]);
            Fill(stream, a, b, c, elements);
            var ms = TimeMs(device, stream, launch.Launch);
            return (ms, Check(device, c.Pointer, elements, A + B));
        });
        JsonOut.Write(file, root);

        Measure(results, "graphport_generated_add", 3 * bytes, peak, context, () =>
        {
            if (kernels.Count == 0 || plan.Steps.Count != kernels.Count)
                throw new NotSupportedException($"the plan for x + y is not generated kernels only: {string.Join(", ", plan.Steps.Select(s => s.Name))}");
            using var arena = device.Allocate(plan.Memory.ArenaBytes);
            ulong Address(BufferRef buffer) => arena.Pointer + (ulong)plan.Memory.Placement(buffer).Offset;
            using var module = device.LoadModule(compiler.Compile(source, "bandwidth_generated_add.cu", device.Architecture, CudaSources.Headers));
            var launches = kernels.Select(k =>
            {
                var shape = CudaRenderer.Launch(k, device.MultiprocessorCount);
                return new KernelLaunch(module.GetFunction(k.Name), (uint)shape.Grid, (uint)shape.Block, 0, CudaRenderer.Parameters(k).Select(Address).ToList());
            }).ToList();
            try
            {
                stream.Fill32(Address(plan.UserInputs[0]), BitsOf(A), elements);
                stream.Fill32(Address(plan.UserInputs[1]), BitsOf(B), elements);
                var output = plan.Outputs[0].View ?? throw new InvalidOperationException("x + y planned to a constant");
                stream.Fill32(Address(output.Buffer), 0x7FC00000u, elements); // NaN: an element no kernel wrote shows up
                var ms = TimeMs(device, stream, s => { foreach (var l in launches) l.Launch(s); });
                return (ms, Check(device, Address(output.Buffer), elements, A + B));
            }
            finally
            {
                foreach (var l in launches) l.Dispose();
            }
        });
        JsonOut.Write(file, root);
        var best = results.Select(r => r.Value?["gbs"]?.GetValue<double>()).Max();
        return $"best {best:0} GB/s of {peak.GigabytesPerSecond:0} GB/s peak";
    }

    private sealed class AddModule : Module<Tensor, Tensor, Tensor>
    {
        public override Tensor Forward(Tensor x, Tensor y) => x + y;
    }

    private static ExportedProgram AddProgram(long elements) =>
        Torch.Export(new AddModule(), [Torch.Full([elements], (double)A), Torch.Full([elements], (double)B)], strict: false);

    private static uint BitsOf(float value) => BitConverter.SingleToUInt32Bits(value);

    private static void Fill(CudaStream stream, DeviceBuffer a, DeviceBuffer b, DeviceBuffer c, long elements)
    {
        stream.Fill32(a.Pointer, BitsOf(A), elements);
        stream.Fill32(b.Pointer, BitsOf(B), elements);
        stream.Fill32(c.Pointer, 0x7FC00000u, elements);
    }

    private static void Measure(JsonObject results, string name, long bytesMoved, PeakBandwidth peak, BenchContext context, Func<(double Ms, string? Problem)> run)
    {
        var record = new JsonObject { ["bytes_moved"] = bytesMoved };
        results[name] = record;
        try
        {
            var (ms, problem) = run();
            double gbs = bytesMoved / (ms / 1000) / 1e9;
            record["median_ms"] = Math.Round(ms, 4);
            record["gbs"] = Math.Round(gbs, 1);
            record["fraction_of_peak"] = peak.GigabytesPerSecond is double p ? JsonOut.Number(Math.Round(gbs / p, 3)) : null;
            record["verified"] = problem is null;
            if (problem is not null) record["problem"] = problem;
            context.Say($"bandwidth {name}: {ms:0.000} ms, {gbs:0} GB/s{(problem is null ? "" : $" ({problem})")}");
        }
        catch (Exception e)
        {
            record["error"] = JsonOut.Error(e);
            context.Say($"bandwidth {name}: {e.GetType().Name}: {JsonOut.Cap(e.Message, 300)}");
        }
    }

    /// <summary>Median milliseconds per call over 7 rounds of 10 calls, each round between two events.</summary>
    private static double TimeMs(CudaDevice device, CudaStream stream, Action<CudaStream> call)
    {
        using var start = device.CreateEvent();
        using var end = device.CreateEvent();
        for (int i = 0; i < 3; i++) call(stream);
        stream.Synchronize();
        var rounds = new List<double>();
        for (int round = 0; round < 7; round++)
        {
            start.Record(stream);
            for (int i = 0; i < 10; i++) call(stream);
            end.Record(stream);
            end.Synchronize();
            rounds.Add(CudaEvent.Elapsed(start, end) / 10.0);
        }
        return Stats.Median(rounds);
    }

    /// <summary>Null when every element equals <paramref name="expected"/>; else the first one that does not.</summary>
    private static string? Check(CudaDevice device, ulong pointer, long elements, float expected)
    {
        device.Synchronize();
        var host = new byte[elements * sizeof(float)];
        device.Download(host, pointer);
        var values = MemoryMarshal.Cast<byte, float>(host);
        for (int i = 0; i < values.Length; i++)
            if (values[i] != expected) return $"element {i} is {values[i]}, expected {expected}";
        return null;
    }
}
