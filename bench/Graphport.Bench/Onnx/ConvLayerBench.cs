using System.Diagnostics;
using System.Globalization;
using Graphport.Cpu;
using Graphport.Tests.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace Graphport.Bench;

/// <summary>
/// The "conv" subcommand: each distinct convolution of ResNet-18 at batch 1, run by our <see cref="Convolution.Conv2d{T}"/>
/// and by ONNX Runtime on a one-node Conv model (1 and 2 intra-op threads), timed in alternation in one process so
/// load falls on every side; prints GFLOP/s and the time ratios per layer.
/// </summary>
public static class ConvLayerBench
{
    /// <summary>One conv layer: input channels, output channels, kernel, stride, padding, input spatial size (square).</summary>
    private sealed record Layer(string Name, int Cin, int Cout, int Kernel, int Stride, int Pad, int Size)
    {
        public int OutSize => (Size + 2 * Pad - Kernel) / Stride + 1;
        public double Flops => 2.0 * Cout * Cin * Kernel * Kernel * OutSize * OutSize;
    }

    private static readonly Layer[] ResNet18 =
    [
        new("stem 7x7/2 3-64 @224", 3, 64, 7, 2, 3, 224),
        new("3x3 64-64 @56", 64, 64, 3, 1, 1, 56),
        new("3x3/2 64-128 @56", 64, 128, 3, 2, 1, 56),
        new("1x1/2 64-128 @56", 64, 128, 1, 2, 0, 56),
        new("3x3 128-128 @28", 128, 128, 3, 1, 1, 28),
        new("3x3/2 128-256 @28", 128, 256, 3, 2, 1, 28),
        new("1x1/2 128-256 @28", 128, 256, 1, 2, 0, 28),
        new("3x3 256-256 @14", 256, 256, 3, 1, 1, 14),
        new("3x3/2 256-512 @14", 256, 512, 3, 2, 1, 14),
        new("1x1/2 256-512 @14", 256, 512, 1, 2, 0, 14),
        new("3x3 512-512 @7", 512, 512, 3, 1, 1, 7),
    ];

    public static int Run(string[] args)
    {
        int runs = 20;
        var only = new List<string>();
        for (int i = 1; i < args.Length; i++)
        {
            if (args[i] == "--runs" && i + 1 < args.Length) runs = int.Parse(args[++i], CultureInfo.InvariantCulture);
            else if (args[i] == "--layer" && i + 1 < args.Length) only.Add(args[++i]);
            else
            {
                Console.Error.WriteLine($"conv: unknown argument '{args[i]}'; expected --runs N or --layer NAME (a substring of a layer name)");
                return 2;
            }
        }
#if DEBUG
        Console.Error.WriteLine("warning: Debug build; timings are only meaningful with -c Release.");
#endif
        Console.WriteLine($"{Environment.ProcessorCount} cores; batch 1, {runs} timed runs per side (alternating), medians; ours uses all cores");
        Console.WriteLine("GF/s and ratios from medians; 'best' columns from each side's fastest run (least disturbed by other load)");
        Console.WriteLine($"{"layer",-22} {"ours GF/s",9} {"ORT1 GF/s",9} {"ORT2 GF/s",9} {"ours/ORT1",9} {"ours/ORT2",9} {"best/ORT1",9} {"best/ORT2",9} {"max err/peak",12}");
        double sumOurs = 0, sumOrt1 = 0, sumOrt2 = 0, bestOurs = 0, bestOrt1 = 0, bestOrt2 = 0;
        foreach (var layer in ResNet18.Where(l => only.Count == 0 || only.Any(o => l.Name.Contains(o, StringComparison.Ordinal))))
        {
            var (ours, ort1, ort2, err) = Measure(layer, runs);
            sumOurs += ours[0]; sumOrt1 += ort1[0]; sumOrt2 += ort2[0];
            bestOurs += ours[1]; bestOrt1 += ort1[1]; bestOrt2 += ort2[1];
            Console.WriteLine($"{layer.Name,-22} {layer.Flops / ours[0] / 1e9,9:0.0} {layer.Flops / ort1[0] / 1e9,9:0.0} {layer.Flops / ort2[0] / 1e9,9:0.0} " +
                $"{ours[0] / ort1[0],9:0.00} {ours[0] / ort2[0],9:0.00} {ours[1] / ort1[1],9:0.00} {ours[1] / ort2[1],9:0.00} {err,12:0.0E+0}");
        }
        Console.WriteLine($"{"sum over layers",-22} {"",9} {"",9} {"",9} {sumOurs / sumOrt1,9:0.00} {sumOurs / sumOrt2,9:0.00} {bestOurs / bestOrt1,9:0.00} {bestOurs / bestOrt2,9:0.00}");
        return 0;
    }

    /// <summary>
    /// [median, fastest] seconds per run for ours, ORT 1 thread, ORT 2 threads; and ours' largest error against ORT
    /// relative to ORT's peak.
    /// </summary>
    private static (double[] Ours, double[] Ort1, double[] Ort2, double Error) Measure(Layer l, int runs)
    {
        var rng = new Random(42);
        float[] x = Enumerable.Range(0, l.Cin * l.Size * l.Size).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        float[] w = Enumerable.Range(0, l.Cout * l.Cin * l.Kernel * l.Kernel).Select(_ => (float)((rng.NextDouble() * 2 - 1) / Math.Sqrt(l.Cin * l.Kernel * l.Kernel))).ToArray();
        float[] b = Enumerable.Range(0, l.Cout).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        long[] xShape = [1, l.Cin, l.Size, l.Size], wShape = [l.Cout, l.Cin, l.Kernel, l.Kernel];
        byte[] model = new OnnxModelBuilder(17)
            .Input("x", ElemType.Float, 1, l.Cin, l.Size, l.Size)
            .Initializer("w", w, wShape)
            .Initializer("b", b, l.Cout)
            .Node("Conv", ["x", "w", "b"], ["y"], OnnxAttr.Ints("kernel_shape", l.Kernel, l.Kernel), OnnxAttr.Ints("strides", l.Stride, l.Stride),
                OnnxAttr.Ints("pads", l.Pad, l.Pad, l.Pad, l.Pad))
            .Output("y", ElemType.Float, [1, l.Cout, l.OutSize, l.OutSize])
            .Build();

        using var opt1 = new SessionOptions { IntraOpNumThreads = 1 };
        using var opt2 = new SessionOptions { IntraOpNumThreads = 2 };
        // ORT's pool threads spin after each run by default, which would steal a core from the run timed next.
        opt2.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        using var s1 = new InferenceSession(model, opt1);
        using var s2 = new InferenceSession(model, opt2);
        using var input = OrtValue.CreateTensorValueFromMemory(x, xShape);
        using var runOptions = new RunOptions();
        string[] inNames = ["x"], outNames = ["y"];
        OrtValue[] inValues = [input];

        // The same product as a plain GEMM on a ready vol2col matrix: how much of ours is the GEMM, how much the unfolding.
        int kk = l.Cin * l.Kernel * l.Kernel, pp = l.OutSize * l.OutSize;
        float[] col = new float[kk * pp], gemmOut = new float[l.Cout * pp];
        void GemmOnly() => Gemm.Sgemm(false, false, l.Cout, pp, kk, 1f, w, kk, col, pp, 0f, gemmOut, pp);
        Dense<float> Ours() => Convolution.Conv2d(x, xShape, w, wShape, b, (l.Stride, l.Stride), (l.Pad, l.Pad), (1, 1), groups: 1);
        void Ort(InferenceSession s) { using var r = s.Run(runOptions, inNames, inValues, outNames); }

        float[] reference;
        using (var r = s1.Run(runOptions, inNames, inValues, outNames)) reference = r[0].GetTensorDataAsSpan<float>().ToArray();
        var mine = Ours().Data;
        double peak = reference.Max(Math.Abs), maxErr = 0;
        for (int i = 0; i < reference.Length; i++) maxErr = Math.Max(maxErr, Math.Abs(mine[i] - reference[i]));

        // Enough calls for the JIT to promote our packing and vol2col loops past tier 0 (30 calls, then a background compile).
        for (int i = 0; i < 60; i++) Ours();
        Thread.Sleep(200);
        for (int i = 0; i < 5; i++) { Ours(); Ort(s1); Ort(s2); }
        for (int i = 0; i < 40; i++) GemmOnly();
        int gen0 = GC.CollectionCount(0), gen2 = GC.CollectionCount(2);
        var gemm = new double[runs];
        var ours = new double[runs];
        var ort1 = new double[runs];
        var ort2 = new double[runs];
        for (int i = 0; i < runs; i++)
        {
            ours[i] = Time(() => Ours());
            gemm[i] = Time(GemmOnly);
            ort1[i] = Time(() => Ort(s1));
            ort2[i] = Time(() => Ort(s2));
        }
        Console.WriteLine($"  GEMM alone: {l.Flops / Median(gemm) / 1e9:0.0} GF/s ({Median(gemm) / Median(ours):P0} of ours' time); " +
            $"GCs during timing: {GC.CollectionCount(0) - gen0} gen0, {GC.CollectionCount(2) - gen2} gen2");
        return ([Median(ours), ours.Min()], [Median(ort1), ort1.Min()], [Median(ort2), ort2.Min()], maxErr / peak);
    }

    private static double Time(Action a)
    {
        long t0 = Stopwatch.GetTimestamp();
        a();
        return Stopwatch.GetElapsedTime(t0).TotalSeconds;
    }

    private static double Median(double[] v)
    {
        var s = v.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }
}
