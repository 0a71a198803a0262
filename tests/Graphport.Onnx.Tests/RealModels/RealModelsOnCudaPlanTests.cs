using Graphport.Kernels;
using Graphport.Onnx;
using Graphport.Tests.Shared;
using Xunit.Abstractions;

namespace Graphport.Tests.Onnx.RealModels;

/// <summary>
/// The real ONNX models on the CUDA backend's plan, checked without a GPU: every op of each imported (and
/// decomposed) model has a device kernel or a cuBLASLt product, no step falls back to the host, and NVRTC compiles
/// the whole generated module for sm_90 (.ci/run installs NVRTC alone; without it the compile step says so).
/// </summary>
public sealed class RealModelsOnCudaPlanTests(ITestOutputHelper log)
{
    public static TheoryData<string> Models => new(["hello_deepa", "minilm", "resnet18", "ppocr_v4_detection", "ppocr_v4_recognition", "silero_vad_v5", "silero_vad_legacy"]);

    [Theory]
    [MemberData(nameof(Models))]
    public void Every_op_runs_on_the_device_and_the_kernels_compile(string name)
    {
        var (path, inputs) = name switch
        {
            "hello_deepa" => (RealModelFiles.HelloDeepa, new[] { new long[] { 1, 25, 96 } }),
            "minilm" => (RealModelFiles.MiniLM, [[2, 16], [2, 16], [2, 16]]),
            "resnet18" => (RealModelFiles.ResNet18, [[1, 3, 224, 224]]),
            // Half the pages of the ONNX Runtime tests: the twin evaluates every index in C#, and the plan is the same.
            "ppocr_v4_detection" => (RealModelFiles.PpOcrV4Detection, [[1, 3, 160, 160]]),
            "ppocr_v4_recognition" => (RealModelFiles.PpOcrV4Recognition, [[1, 3, 48, 160]]),
            // Silero VAD: one 16 kHz chunk and its recurrent state (the sample rate is fixed at import).
            "silero_vad_v5" => (RealModelFiles.SileroVadV5, [[1, 576], [2, 1, 128]]),
            "silero_vad_legacy" => (RealModelFiles.SileroVadLegacy, [[1, 512], [2, 1, 64], [2, 1, 64]]),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown model"),
        };
        // The OCR models' sizes are symbolic; their example sizes (the hints a plan binds) must be real page sizes.
        var options = name switch
        {
            "ppocr_v4_detection" => new OnnxImportOptions { DimSizes = { ["p2o.DynamicDimension.0"] = 1, ["p2o.DynamicDimension.1"] = 160, ["p2o.DynamicDimension.2"] = 160 } },
            "ppocr_v4_recognition" => new OnnxImportOptions { DimSizes = { ["p2o.DynamicDimension.0"] = 1, ["p2o.DynamicDimension.1"] = 160 } },
            "silero_vad_v5" => new OnnxImportOptions { StaticShapes = true, DimSizes = { ["input:0"] = 1, ["input:1"] = 576, ["state:1"] = 1 }, InputValues = { ["sr"] = [16000] } },
            "silero_vad_legacy" => new OnnxImportOptions { StaticShapes = true, DimSizes = { ["batch"] = 1, ["sequence"] = 512 }, InputValues = { ["sr"] = [16000] } },
            _ => null,
        };
        var program = OnnxImporter.Import(path, options);
        var shapes = inputs.Take(program.GraphSignature.UserInputs.Count).ToList();
        var plan = CudaCompiler.Plan(program, shapes);
        log.WriteLine(plan.Describe().Split('\n')[0]);
        Assert.True(plan.HostOps.Count == 0, $"{name}: ops without a CUDA kernel: {string.Join(", ", plan.HostOps)}");

        // The plan run on the CPU against the interpreter on the same seeded inputs.
        Torch.ManualSeed((ulong)name.Length);
        var tensors = shapes.Select(shape => name == "minilm"
            ? Torch.Randint(0, 2, shape)
            : Torch.Randn(shape)).ToList();
        var core = program.RunDecompositions();
        var expected = core.Module().Invoke(tensors.Cast<object?>().ToArray()) switch
        {
            Tensor t => [t],
            object?[] items => items.OfType<Tensor>().ToArray(),
            var other => throw new InvalidOperationException($"unexpected result {other}"),
        };
        // The plan's arithmetic twice: its IR on the twin, and the generated CUDA C compiled for the CPU.
        var runs = new (string Label, Func<object?[]> Run)[]
        {
            ("the twin", () => Graphport.Kernels.Twin.CpuTwin.Run(plan, tensors)),
            ("the CUDA C on the CPU", () => Graphport.Kernels.HostEmulation.HostCudaRunner.Run(plan, tensors)),
        };
        foreach (var (label, run) in runs)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var actual = run().OfType<Tensor>().ToArray();
            log.WriteLine($"{label}: {clock.Elapsed.TotalMilliseconds:F0} ms");
            Assert.Equal(expected.Length, actual.Length);
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.Equal(expected[i].Shape.ToLongs(), actual[i].Shape.ToLongs());
                double scale = Math.Max(expected[i].To(DType.Float64).Abs().Max().Item(), 1);
                double diff = (actual[i].To(DType.Float64) - expected[i].To(DType.Float64)).Abs().Max().Item();
                Assert.True(diff <= 1e-3 * scale, $"{name} output {i}: {label} differs from the interpreter by {diff} (scale {scale})");
            }
        }

        if (!CubinCheck.NvrtcInstalled(out var message))
        {
            log.WriteLine($"NVRTC not installed here, compile not checked: {message}");
            return;
        }
        CubinCheck.AssertCompiles(plan, name);
    }
}
