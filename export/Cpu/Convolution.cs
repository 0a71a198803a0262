using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Graphport.Cpu;

/// <summary>
/// Convolutions with 1-3 spatial dims on contiguous [N, C, spatial...] (or unbatched [C, spatial...]) inputs, all
/// computed in 3-D (1-D and 2-D have unit leading extents): 1-D and 2-D ones as a GEMM reading its rows from the
/// padded, stride-phase-split input (<see cref="TapRows{T}"/>), 3-D ones (and 2-D ones on small planes) as vol2col +
/// GEMM over blocks of output positions, direct vectorized depthwise paths, and transposed convolution as GEMM +
/// col2vol over blocks of output channels (or, where taps never overlap, a GEMM per block of input rows).
/// </summary>
public static partial class Convolution
{
    /// <summary>
    /// Elements of one task's vol2col (or col2vol) buffer: 256 KiB of float, so it and the GEMM's packed copy of it
    /// stay in L2 together.
    /// </summary>
    private const int ColumnBudget = 1 << 16;

    /// <summary>
    /// Output positions per task come in multiples of this (the widest GEMM micro-tile), so splitting a small image over
    /// the cores adds no partly filled tiles. The weights are read in place, not packed, so narrow tasks stay cheap.
    /// </summary>
    private const int MinColumns = 32;

    /// <summary>torch's conv output size: ⌊(in + 2·pad − dil·(k − 1) − 1) / stride⌋ + 1.</summary>
    public static long OutputSize(long input, long kernel, long stride, long padding, long dilation)
        => (input + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1;

    /// <summary>torch's transposed-conv output size: (in − 1)·stride − 2·pad + dil·(k − 1) + outputPadding + 1.</summary>
    public static long TransposedOutputSize(long input, long kernel, long stride, long padding, long outputPadding, long dilation)
        => (input - 1) * stride - 2 * padding + dilation * (kernel - 1) + outputPadding + 1;

    /// <summary>
    /// aten::convolution: input [N, C, spatial...] or [C, spatial...], weight [O, C/groups, kernel...] (transposed:
    /// [C, O/groups, kernel...]), 1-3 spatial dims. stride, padding, dilation and outputPadding hold one value per
    /// spatial dim, or one value for all of them. <paramref name="prepared"/>, the same weight prepared once by a frozen
    /// module, lets small output maps take the position-major path (<see cref="PositionMajorWeight{T}"/>) and float32
    /// 3×3 convolutions at stride 1 Winograd's (<see cref="WinogradWeight"/>).
    /// </summary>
    public static Dense<T> Compute<T>(T[] input, long[] inputShape, T[] weight, long[] weightShape, T[]? bias,
        int[] stride, int[] padding, int[] dilation, bool transposed, int[] outputPadding, int groups, PreparedConvolutionWeight? prepared = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(weightShape);
        int rank = weightShape.Length - 2;
        if (rank is < 1 or > 3)
            throw new ArgumentException($"convolution: weight has shape {ShapeMath.Format(weightShape)}; expected 3 to 5 dims [O, C/groups, kernel...] (1 to 3 spatial dims)", nameof(weightShape));
        return transposed
            ? Transposed(input, inputShape, weight, weightShape, bias, stride, padding, outputPadding, groups, dilation, rank)
            : Plain(input, inputShape, weight, weightShape, bias, stride, padding, dilation, groups, rank, prepared);
    }

    /// <summary>Conv1d: input [N, C, L] or [C, L], weight [O, C/groups, K].</summary>
    public static Dense<T> Conv1d<T>(T[] input, long[] inputShape, T[] weight, long[] weightShape, T[]? bias,
        int stride, int padding, int dilation, int groups) where T : unmanaged, IFloatingPointIeee754<T>
        => Plain(input, inputShape, weight, weightShape, bias, [stride], [padding], [dilation], groups, rank: 1);

    /// <summary>Conv2d: input [N, C, H, W] or [C, H, W], weight [O, C/groups, kH, kW].</summary>
    public static Dense<T> Conv2d<T>(T[] input, long[] inputShape, T[] weight, long[] weightShape, T[]? bias,
        (int H, int W) stride, (int H, int W) padding, (int H, int W) dilation, int groups) where T : unmanaged, IFloatingPointIeee754<T>
        => Plain(input, inputShape, weight, weightShape, bias, [stride.H, stride.W], [padding.H, padding.W], [dilation.H, dilation.W], groups, rank: 2);

    /// <summary>Conv3d: input [N, C, D, H, W] or [C, D, H, W], weight [O, C/groups, kD, kH, kW].</summary>
    public static Dense<T> Conv3d<T>(T[] input, long[] inputShape, T[] weight, long[] weightShape, T[]? bias,
        (int D, int H, int W) stride, (int D, int H, int W) padding, (int D, int H, int W) dilation, int groups) where T : unmanaged, IFloatingPointIeee754<T>
        => Plain(input, inputShape, weight, weightShape, bias, [stride.D, stride.H, stride.W], [padding.D, padding.H, padding.W], [dilation.D, dilation.H, dilation.W], groups, rank: 3);

    /// <summary>ConvTranspose1d (the gradient of Conv1d w.r.t. its input): input [N, Cin, L] or [Cin, L], weight [Cin, Cout/groups, K].</summary>
    public static Dense<T> ConvTranspose1d<T>(T[] input, long[] inputShape, T[] weight, long[] weightShape, T[]? bias,
        int stride, int padding, int outputPadding, int groups, int dilation) where T : unmanaged, IFloatingPointIeee754<T>
        => Transposed(input, inputShape, weight, weightShape, bias, [stride], [padding], [outputPadding], groups, [dilation], rank: 1);

    /// <summary>ConvTranspose2d: input [N, Cin, H, W] or [Cin, H, W], weight [Cin, Cout/groups, kH, kW].</summary>
    public static Dense<T> ConvTranspose2d<T>(T[] input, long[] inputShape, T[] weight, long[] weightShape, T[]? bias,
        (int H, int W) stride, (int H, int W) padding, (int H, int W) outputPadding, int groups, (int H, int W) dilation) where T : unmanaged, IFloatingPointIeee754<T>
        => Transposed(input, inputShape, weight, weightShape, bias, [stride.H, stride.W], [padding.H, padding.W], [outputPadding.H, outputPadding.W], groups, [dilation.H, dilation.W], rank: 2);

    /// <summary>ConvTranspose3d: input [N, Cin, D, H, W] or [Cin, D, H, W], weight [Cin, Cout/groups, kD, kH, kW].</summary>
    public static Dense<T> ConvTranspose3d<T>(T[] input, long[] inputShape, T[] weight, long[] weightShape, T[]? bias,
        (int D, int H, int W) stride, (int D, int H, int W) padding, (int D, int H, int W) outputPadding, int groups, (int D, int H, int W) dilation) where T : unmanaged, IFloatingPointIeee754<T>
        => Transposed(input, inputShape, weight, weightShape, bias, [stride.D, stride.H, stride.W], [padding.D, padding.H, padding.W], [outputPadding.D, outputPadding.H, outputPadding.W], groups, [dilation.D, dilation.H, dilation.W], rank: 3);

    private static Dense<T> Plain<T>(T[] input, long[] inputShape, T[] weight, long[] weightShape, T[]? bias,
        int[] stride, int[] padding, int[] dilation, int groups, int rank, PreparedConvolutionWeight? prepared = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        string k = $"Conv{rank}d";
        var (batched, n, c, inSpatial) = CheckOperands(k, input, inputShape, weight, weightShape, rank, "C", "O, C/groups");
        var s = PerDim(k, nameof(stride), stride, rank);
        var p = PerDim(k, nameof(padding), padding, rank);
        var d = PerDim(k, nameof(dilation), dilation, rank);
        CheckGeometry(k, s, p, d, groups);
        long o = weightShape[0], cg = weightShape[1];
        var kernel = weightShape[2..];
        if (c % groups != 0)
            throw new ArgumentException($"{k}: input has {c} channels, which is not divisible by groups={groups}; expected C % groups == 0", nameof(groups));
        if (o % groups != 0)
            throw new ArgumentException($"{k}: weight has {o} output channels, which is not divisible by groups={groups}; expected O % groups == 0", nameof(groups));
        if (cg * groups != c)
            throw new ArgumentException($"{k}: weight has {cg} input channels per group but input has {c} channels and groups={groups}; expected weight.shape[1] == {c / groups}", nameof(weightShape));
        ShapeMath.CheckLength(input.Length, n * c * Volume(inSpatial), k, nameof(input));
        ShapeMath.CheckLength(weight.Length, o * cg * Volume(kernel), k, nameof(weight));
        CheckBias(k, bias, o);
        var outSpatial = new long[rank];
        for (int i = 0; i < rank; i++) outSpatial[i] = OutputSize(inSpatial[i], kernel[i], s[i], p[i], d[i]);
        if (outSpatial.Any(v => v <= 0))
            throw new ArgumentException($"{k}: input spatial size {Cross(inSpatial)} (padded by {Cross(p)}) is smaller than the dilated kernel {Cross(kernel.Select((v, i) => (v - 1) * d[i] + 1))}; expected an output of at least {Cross(Enumerable.Repeat(1, rank))}, got {Cross(outSpatial)}", nameof(inputShape));
        long[] outShape = batched ? [n, o, .. outSpatial] : [o, .. outSpatial];
        // Not zeroed: both paths below write every element (the bias, or the GEMM with beta = 0, or a depthwise fill).
        var output = RunBuffers.Allocate<T>(n * o * Volume(outSpatial), clear: false);
        if (output.Length == 0) return new Dense<T>(output, outShape);
        var geom = new Geometry(Dims3.Of(inSpatial), Dims3.Of(kernel), Dims3.Of(outSpatial), Dims3.Of(s), Dims3.Of(p, fill: 0), Dims3.Of(d));
        if (WinogradApplies<T>(prepared, weightShape, groups, rank, geom))
            Winograd((float[])(object)input, (WinogradWeight)prepared!, (float[]?)(object?)bias, (float[])(object)output, (int)n, geom);
        else if (PositionMajorApplies(prepared as PositionMajorWeight<T>, weightShape, groups, rank, geom))
            PositionMajor(input, (PositionMajorWeight<T>)prepared!, bias, output, (int)n, geom);
        else if (groups == c && groups == o && cg == 1 && DepthwiseRowsApply(geom))
            DepthwiseRows(input, weight, bias, output, (int)n, (int)c, geom);
        else if (groups == c && groups == o && cg == 1)
            Depthwise(input, weight, bias, output, (int)n, (int)c, geom);
        else if (TapRowsApply(geom, n, c))
            TapRows(input, weight, bias, output, (int)n, (int)c, (int)o, groups, geom);
        else
            Vol2colGemm(input, weight, bias, output, (int)n, (int)c, (int)o, groups, geom);
        return new Dense<T>(output, outShape);
    }

    private static Dense<T> Transposed<T>(T[] input, long[] inputShape, T[] weight, long[] weightShape, T[]? bias,
        int[] stride, int[] padding, int[] outputPadding, int groups, int[] dilation, int rank) where T : unmanaged, IFloatingPointIeee754<T>
    {
        string k = $"ConvTranspose{rank}d";
        var (batched, n, cin, inSpatial) = CheckOperands(k, input, inputShape, weight, weightShape, rank, "Cin", "Cin, Cout/groups");
        var s = PerDim(k, nameof(stride), stride, rank);
        var p = PerDim(k, nameof(padding), padding, rank);
        var d = PerDim(k, nameof(dilation), dilation, rank);
        var op = PerDim(k, nameof(outputPadding), outputPadding, rank);
        CheckGeometry(k, s, p, d, groups);
        if (weightShape[0] != cin)
            throw new ArgumentException($"{k}: weight has {weightShape[0]} input channels but input has {cin} channels; expected weight.shape[0] == {cin}", nameof(weightShape));
        if (cin % groups != 0)
            throw new ArgumentException($"{k}: input has {cin} channels, which is not divisible by groups={groups}; expected Cin % groups == 0", nameof(groups));
        if (Enumerable.Range(0, rank).Any(i => op[i] < 0 || (op[i] >= s[i] && op[i] >= d[i])))
            throw new ArgumentException($"{k}: outputPadding ({string.Join(", ", op)}) must be non-negative and smaller than either stride ({string.Join(", ", s)}) or dilation ({string.Join(", ", d)}); expected e.g. outputPadding < stride", nameof(outputPadding));
        long coutG = weightShape[1], cout = coutG * groups;
        var kernel = weightShape[2..];
        ShapeMath.CheckLength(input.Length, n * cin * Volume(inSpatial), k, nameof(input));
        ShapeMath.CheckLength(weight.Length, cin * coutG * Volume(kernel), k, nameof(weight));
        CheckBias(k, bias, cout);
        var outSpatial = new long[rank];
        for (int i = 0; i < rank; i++) outSpatial[i] = TransposedOutputSize(inSpatial[i], kernel[i], s[i], p[i], op[i], d[i]);
        if (outSpatial.Any(v => v <= 0))
            throw new ArgumentException($"{k}: padding ({string.Join(", ", p)}) leaves an output of {Cross(outSpatial)}; expected a positive output size", nameof(padding));
        long[] outShape = batched ? [n, cout, .. outSpatial] : [cout, .. outSpatial];
        var output = RunBuffers.Allocate<T>(n * cout * Volume(outSpatial), clear: true);
        if (output.Length == 0) return new Dense<T>(output, outShape);
        // Each GEMM output column is one input position, scattered (col2vol) into the kernel footprint it touches:
        // the geometry's "input" is the transposed conv's output and its "output" the transposed conv's input.
        var geom = new Geometry(Dims3.Of(outSpatial), Dims3.Of(kernel), Dims3.Of(inSpatial), Dims3.Of(s), Dims3.Of(p, fill: 0), Dims3.Of(d));
        if (TapsNeverOverlap(geom)) TransposedNonOverlapping(input, weight, bias, output, (int)n, (int)cin, (int)coutG, groups, geom);
        else GemmCol2vol(input, weight, bias, output, (int)n, (int)cin, (int)coutG, groups, geom);
        return new Dense<T>(output, outShape);
    }

    /// <summary>Three spatial extents (or strides, pads, dilations); 1-D and 2-D convolutions lead with unit extents.</summary>
    private readonly record struct Dims3(int D, int H, int W)
    {
        public int Volume => D * H * W;

        public static Dims3 Of(long[] v, int fill = 1) => v.Length switch
        {
            1 => new(fill, fill, (int)v[0]),
            2 => new(fill, (int)v[0], (int)v[1]),
            _ => new((int)v[0], (int)v[1], (int)v[2]),
        };
    }

    /// <summary>Spatial geometry: input extents, kernel, output extents (for col2vol, "input" is the conv-transpose output).</summary>
    private readonly record struct Geometry(Dims3 In, Dims3 Kernel, Dims3 Out, Dims3 Stride, Dims3 Pad, Dims3 Dil)
    {
        public bool IsPointwise => Kernel == new Dims3(1, 1, 1) && Stride == new Dims3(1, 1, 1) && Pad == new Dims3(0, 0, 0);
    }

    private static long Volume(long[] extents) => extents.Aggregate(1L, (a, b) => a * b);

    private static string Cross<TValue>(IEnumerable<TValue> extents) => string.Join("×", extents);

    /// <summary>How error messages name the spatial dims of an input (or of a kernel).</summary>
    private static string SpatialNames(int rank, bool kernel) => (rank, kernel) switch
    {
        (1, false) => "L",
        (1, true) => "K",
        (2, false) => "H, W",
        (2, true) => "kH, kW",
        (_, false) => "D, H, W",
        _ => "kD, kH, kW",
    };

    /// <summary>Checks the operands' ranks and returns (batched, N, C, input spatial extents).</summary>
    private static (bool Batched, long N, long C, long[] Spatial) CheckOperands<T>(string k, T[] input, long[] inputShape, T[] weight, long[] weightShape,
        int rank, string channels, string weightChannels) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Pointwise.RequireFloating<T>(k);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(inputShape);
        ArgumentNullException.ThrowIfNull(weightShape);
        bool batched = inputShape.Length == rank + 2;
        if (!batched && inputShape.Length != rank + 1)
            throw new ArgumentException($"{k}: input has shape {ShapeMath.Format(inputShape)}; expected {rank + 2} dims [N, {channels}, {SpatialNames(rank, kernel: false)}] or {rank + 1} dims [{channels}, {SpatialNames(rank, kernel: false)}]", nameof(inputShape));
        if (weightShape.Length != rank + 2)
            throw new ArgumentException($"{k}: weight has shape {ShapeMath.Format(weightShape)}; expected {rank + 2} dims [{weightChannels}, {SpatialNames(rank, kernel: true)}]", nameof(weightShape));
        return (batched, batched ? inputShape[0] : 1, inputShape[^(rank + 1)], inputShape[^rank..]);
    }

    /// <summary>A per-dim argument as one value per spatial dim; a single value applies to all of them, as in torch.</summary>
    private static long[] PerDim(string k, string name, int[] values, int rank)
    {
        ArgumentNullException.ThrowIfNull(values, name);
        if (values.Length == 1) return Enumerable.Repeat((long)values[0], rank).ToArray();
        if (values.Length != rank)
            throw new ArgumentException($"{k}: {name} has {values.Length} values ({string.Join(", ", values)}); expected 1 or {rank}, one per spatial dim", name);
        return values.Select(v => (long)v).ToArray();
    }

    private static void CheckGeometry(string k, long[] stride, long[] padding, long[] dilation, int groups)
    {
        if (stride.Any(v => v <= 0))
            throw new ArgumentException($"{k}: stride ({string.Join(", ", stride)}) has a non-positive value; expected stride >= 1", nameof(stride));
        if (padding.Any(v => v < 0))
            throw new ArgumentException($"{k}: padding ({string.Join(", ", padding)}) has a negative value; expected padding >= 0", nameof(padding));
        if (dilation.Any(v => v <= 0))
            throw new ArgumentException($"{k}: dilation ({string.Join(", ", dilation)}) has a non-positive value; expected dilation >= 1", nameof(dilation));
        if (groups <= 0)
            throw new ArgumentException($"{k}: groups={groups}; expected groups >= 1", nameof(groups));
    }

    private static void CheckBias<T>(string k, T[]? bias, long channels)
    {
        if (bias != null && bias.Length != channels)
            throw new ArgumentException($"{k}: bias has {bias.Length} elements; expected one per output channel ({channels})", nameof(bias));
    }

    private static long CeilDiv(long a, long b) => (a + b - 1) / b;

    /// <summary>
    /// How many of <paramref name="count"/> items (output positions or channels) one task takes: at most
    /// <paramref name="maxPerTask"/>, and few enough that the work, when large, gives every core a few tasks.
    /// </summary>
    private static int ItemsPerTask(long count, long maxPerTask, long minPerTask, long units, double totalFlops, long align = 1)
    {
        long per = Math.Clamp(maxPerTask, 1, count);
        long wanted = (long)Math.Min(4.0 * Environment.ProcessorCount, totalFlops / CpuParallel.FlopsPerOperation / CpuParallel.MinParallelWork);
        if (wanted > units * CeilDiv(count, per))
            per = Math.Min(per, Math.Max(minPerTask, CeilDiv(count, CeilDiv(wanted, units))));
        // Even blocks, so the last one is not a sliver; then whole multiples of align unless one block takes everything.
        per = CeilDiv(count, CeilDiv(count, per));
        if (per < count) per = Math.Min(count, CeilDiv(per, align) * align);
        return (int)Math.Clamp(per, 1, count);
    }

    /// <summary>
    /// Each task unfolds one block of output positions of one (batch, group) into a vol2col matrix and multiplies the
    /// group's weights by it, writing that block of the output (plus bias) while it is still in cache.
    /// </summary>
    private static void Vol2colGemm<T>(T[] input, T[] weight, T[]? bias, T[] output, int n, int c, int o, int groups, Geometry g) where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool pointwise = g.IsPointwise;
        // Strided along W, vol2col would gather element by element; splitting each input row into its stride phases
        // once turns every kernel tap's run into a span copy.
        // (Only when taps overlap along W: a 1-wide strided kernel reads each input element at most once.)
        T[]? phased = pointwise || g.Stride.W == 1 || g.Kernel.W == 1 ? null : SplitPhases(input, n * c * g.In.D * g.In.H, g.In.W, g.Stride.W);
        try
        {
            Vol2colGemmBlocks(input, phased, weight, bias, output, n, c, o, groups, g);
        }
        finally
        {
            if (phased != null) ArrayPool<T>.Shared.Return(phased);
        }
    }

    /// <summary>The tasks of <see cref="Vol2colGemm{T}"/>, reading the input rows from <paramref name="phased"/> when it is given.</summary>
    private static void Vol2colGemmBlocks<T>(T[] input, T[]? phased, T[] weight, T[]? bias, T[] output, int n, int c, int o, int groups, Geometry g) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int cg = c / groups, og = o / groups, K = cg * g.Kernel.Volume, P = g.Out.Volume, plane = g.In.Volume;
        bool pointwise = g.IsPointwise;
        long units = (long)n * groups;
        int block = ItemsPerTask(P, pointwise ? P : Math.Max(MinColumns, ColumnBudget / Math.Max(K, 1)), MinColumns, units, 2.0 * og * K * P * units, MinColumns);
        long blocks = CeilDiv(P, block), tasks = units * blocks;
        double flopsPerTask = 2.0 * og * K * block;
        // A few large GEMMs (late layers: many channels, few positions) parallelize inside the GEMM instead.
        bool inner = tasks < Environment.ProcessorCount && flopsPerTask >= 4e6;
        int phasedPlane = phased == null ? plane : g.In.D * g.In.H * PhasedRow(g.In.W, g.Stride.W);
        CpuParallel.ForFlops(inner ? 1 : tasks, inner ? 1 : flopsPerTask, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (t0, t1) =>
        {
            using var col = new Scratch<T>(pointwise ? 0 : K * block);
            for (long t = inner ? 0 : t0; t < (inner ? tasks : t1); t++)
            {
                long u = t / blocks, b = u / groups, grp = u % groups;
                int p0 = (int)(t % blocks) * block, pn = Math.Min(block, P - p0);
                long inOffset = (b * c + grp * cg) * plane, outOffset = (b * o + grp * og) * P + p0;
                if (!pointwise)
                {
                    var source = phased ?? input;
                    long offset = (b * c + grp * cg) * phasedPlane;
                    Vol2col(source.AsSpan((int)offset, cg * phasedPlane), phased != null, cg, g, p0, pn, col.Span);
                }
                // The bias is the GEMM's starting C (beta = 1), so the output block is written once rather than cleared and added to.
                if (bias != null)
                    for (int r = 0; r < og; r++) output.AsSpan((int)(outOffset + (long)r * P), pn).Fill(bias[grp * og + r]);
                unsafe
                {
                    fixed (T* pw = weight)
                    fixed (T* pi = input)
                    fixed (T* pcol = col.Span)
                    fixed (T* po = output)
                    {
                        T* colPtr = pointwise ? pi + inOffset + p0 : pcol;
                        Gemm.Core(false, false, og, pn, K, T.One, pw + grp * og * K, K, colPtr, pointwise ? P : pn, bias != null ? T.One : T.Zero, po + outOffset, P, allowParallel: inner);
                    }
                }
            }
        });
    }

    /// <summary>Output columns x of one kernel tap along W with 0 ≤ x·stride + offset &lt; size, as [Lo, Hi) (empty when Hi ≤ Lo).</summary>
    private static (int Lo, int Hi) ValidColumns(int offset, int size, int stride, int count)
    {
        int lo = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
        int hi = size - offset <= 0 ? 0 : Math.Min(count, (size - offset - 1) / stride + 1);
        return (lo, hi);
    }

    /// <summary>Length of one input row split into its W-stride phases: stride segments of ⌈W / stride⌉ elements.</summary>
    private static int PhasedRow(int width, int stride) => stride * ((width + stride - 1) / stride);

    /// <summary>
    /// Rewrites each of <paramref name="rows"/> rows of <paramref name="width"/> elements as its stride phases one after
    /// another (element x goes to segment x % stride, place x / stride), so a strided read becomes a contiguous one.
    /// </summary>
    private static T[] SplitPhases<T>(T[] input, int rows, int width, int stride) where T : unmanaged
    {
        int segment = (width + stride - 1) / stride, rowLength = stride * segment;
        // Pooled: every place a strided read can reach is written below, so no clearing is needed.
        var phased = ArrayPool<T>.Shared.Rent(checked(rows * rowLength));
        CpuParallel.For(rows, width, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (r0, r1) =>
        {
            for (long r = r0; r < r1; r++)
            {
                var src = input.AsSpan((int)(r * width), width);
                var dst = phased.AsSpan((int)(r * rowLength), rowLength);
                for (int phase = 0; phase < stride && phase < width; phase++)
                    GatherStrided(src[phase..], stride, dst.Slice(phase * segment, (width - phase + stride - 1) / stride));
            }
        });
        return phased;
    }

    /// <summary>
    /// Vol2col of a stride-1 2-D conv whose output rows are as wide as its input rows (W): tap (ki, kj)'s row for output
    /// positions [p0, p0 + pn) reads plane[p + (ki·dilH − padH)·W + kj·dilW − padW], so it is one copy of a shifted run,
    /// with the rows whose input row is padding cleared, then the columns whose input column is padding (the copy put a
    /// neighbouring row's element there). Which run and which columns depend on the tap alone, so they are worked out
    /// once per tap and every channel's row is then one copy and a few stores: ResNet's 64-channel 3×3 layers have
    /// 576 rows of 112 positions per block, where per-row bookkeeping had cost more than the GEMM.
    /// </summary>
    private static void SameRowsVol2col<T>(ReadOnlySpan<T> input, int channels, in Geometry g, int p0, int pn, Span<T> col) where T : unmanaged
    {
        int w = g.Out.W, plane = g.In.Volume, taps = g.Kernel.H * g.Kernel.W, pEnd = p0 + pn;
        int rowsTouched = (pEnd - 1) / w - p0 / w + 1;
        var clears = ArrayPool<int>.Shared.Rent(rowsTouched * w);
        try
        {
            for (int ki = 0; ki < g.Kernel.H; ki++)
                for (int kj = 0; kj < g.Kernel.W; kj++)
                {
                    int offW = kj * g.Dil.W - g.Pad.W, shift = (ki * g.Dil.H - g.Pad.H) * w + offW;
                    var (xLo, xHi) = ValidColumns(offW, g.In.W, 1, w);
                    int yLo = Math.Max(0, g.Pad.H - ki * g.Dil.H), yHi = Math.Min(g.Out.H, g.In.H + g.Pad.H - ki * g.Dil.H);
                    // Positions whose input row exists, and whose shifted index stays inside the plane.
                    int s0 = Math.Max(Math.Max(p0, yLo * w), -shift), s1 = Math.Min(Math.Min(pEnd, yHi * w), plane - shift);
                    int cleared = 0;
                    if (s1 > s0 && (xLo > 0 || xHi < w))
                        for (int y = s0 / w; y <= (s1 - 1) / w; y++)
                            for (int x = 0; x < w; x++)
                            {
                                int p = y * w + x;
                                if ((x < xLo || x >= xHi) && p >= s0 && p < s1) clears[cleared++] = p - p0;
                            }
                    for (int ch = 0; ch < channels; ch++)
                    {
                        var dst = col.Slice((ch * taps + ki * g.Kernel.W + kj) * pn, pn);
                        if (s1 <= s0)
                        {
                            dst.Clear();
                            continue;
                        }
                        dst[..(s0 - p0)].Clear();
                        dst[(s1 - p0)..].Clear();
                        input.Slice(ch * plane + s0 + shift, s1 - s0).CopyTo(dst.Slice(s0 - p0, s1 - s0));
                        for (int i = 0; i < cleared; i++) dst[clears[i]] = default;
                    }
                }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(clears);
        }
    }

    /// <summary>dst[i] = src[i·stride] for every i of dst; float stride 2 on AVX-512 takes 16 at a time with one permute.</summary>
    private static void GatherStrided<T>(ReadOnlySpan<T> src, int stride, Span<T> dst) where T : unmanaged
    {
        int i = 0;
        if (stride == 2 && typeof(T) == typeof(float) && Avx512F.IsSupported)
        {
            var s = MemoryMarshal.Cast<T, float>(src);
            var d = MemoryMarshal.Cast<T, float>(dst);
            var evens = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
            for (; i + 16 <= d.Length && 2 * i + 32 <= s.Length; i += 16)
            {
                var pairs = s.Slice(2 * i, 32);
                Avx512F.PermuteVar16x32x2(Vector512.Create(pairs[..16]), evens, Vector512.Create(pairs[16..])).CopyTo(d.Slice(i, 16));
            }
        }
        for (; i < dst.Length; i++) dst[i] = src[i * stride];
    }

    /// <summary>
    /// Unfolds the input patches of output positions [p0, p0 + pn) into a [C·kD·kH·kW, pn] matrix. Runs are span copies
    /// when the W stride is 1 or the input rows come split into stride phases (<paramref name="phased"/>, see
    /// <see cref="SplitPhases{T}"/>); otherwise strided element copies.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Vol2col<T>(ReadOnlySpan<T> input, bool phased, int channels, in Geometry g, int p0, int pn, Span<T> col) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int ow = g.Out.W, oh = g.Out.H, rFirst = p0 / ow, rLast = (p0 + pn - 1) / ow;
        int taps = g.Kernel.Volume, sw = g.Stride.W, rowLength = phased ? PhasedRow(g.In.W, sw) : g.In.W, segment = rowLength / sw;
        // A 2-D stride-1 conv whose output rows are as wide as its input rows reads, for each tap, one shifted contiguous
        // run of the input plane: a single copy instead of one short copy per output row (7-56 elements in ResNet).
        bool sameRows = g.In.D == 1 && g.Kernel.D == 1 && g.Out.D == 1 && g.Stride.H == 1 && sw == 1 && ow == g.In.W;
        if (sameRows)
        {
            SameRowsVol2col(input, channels, g, p0, pn, col);
            return;
        }
        for (int ch = 0; ch < channels; ch++)
            for (int kd = 0; kd < g.Kernel.D; kd++)
                for (int ki = 0; ki < g.Kernel.H; ki++)
                    for (int kj = 0; kj < g.Kernel.W; kj++)
                    {
                        int row = ch * taps + (kd * g.Kernel.H + ki) * g.Kernel.W + kj;
                        var dst = col.Slice(row * pn, pn);
                        int offW = kj * g.Dil.W - g.Pad.W;
                        var (xLo, xHi) = ValidColumns(offW, g.In.W, g.Stride.W, ow);
                        // r runs over output rows (depth, height) that the block touches; [xs, xe) is the block's part of row r.
                        for (int r = rFirst; r <= rLast; r++)
                        {
                            int z = r / oh, y = r - z * oh;
                            int xs = Math.Max(0, p0 - r * ow), xe = Math.Min(ow, p0 + pn - r * ow);
                            var drow = dst.Slice(r * ow + xs - p0, xe - xs);
                            int id = z * g.Stride.D - g.Pad.D + kd * g.Dil.D, ih = y * g.Stride.H - g.Pad.H + ki * g.Dil.H;
                            int lo = Math.Clamp(xLo, xs, xe), hi = Math.Clamp(xHi, xs, xe);
                            if (id < 0 || id >= g.In.D || ih < 0 || ih >= g.In.H || hi <= lo)
                            {
                                drow.Clear();
                                continue;
                            }
                            var srow = input.Slice(((ch * g.In.D + id) * g.In.H + ih) * rowLength, rowLength);
                            drow[..(lo - xs)].Clear();
                            drow[(hi - xs)..].Clear();
                            // Phased, input column x·sw + offW lives in phase (x·sw + offW) % sw at place (x·sw + offW) / sw.
                            int first = lo * sw + offW;
                            if (sw == 1 || phased) srow.Slice(first % sw * segment + first / sw, hi - lo).CopyTo(drow[(lo - xs)..]);
                            else GatherStrided(srow[first..], sw, drow.Slice(lo - xs, hi - lo));
                        }
                    }
    }

    /// <summary>
    /// Transposed convolution: each task computes, for one (batch, group) and one block of output channels, the
    /// [channels·kD·kH·kW, input positions] product of weights and input, then scatters it into those channels only,
    /// so tasks never write the same output.
    /// </summary>
    private static void GemmCol2vol<T>(T[] input, T[] weight, T[]? bias, T[] output, int n, int cin, int coutG, int groups, Geometry g) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int cinG = cin / groups, taps = g.Kernel.Volume, K = coutG * taps, P = g.Out.Volume, oplane = g.In.Volume, cout = coutG * groups;
        bool pointwise = g.IsPointwise;
        long units = (long)n * groups;
        long perChannel = (long)taps * P;
        int chBlock = ItemsPerTask(coutG, ColumnBudget / perChannel, 1, units, 2.0 * K * cinG * P * units);
        long blocks = CeilDiv(coutG, chBlock), tasks = units * blocks;
        double flopsPerTask = 2.0 * chBlock * taps * cinG * P;
        bool inner = tasks < Environment.ProcessorCount && flopsPerTask >= 4e6;
        CpuParallel.ForFlops(inner ? 1 : tasks, inner ? 1 : flopsPerTask, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (t0, t1) =>
        {
            using var col = new Scratch<T>(pointwise ? 0 : (int)(chBlock * perChannel));
            for (long t = inner ? 0 : t0; t < (inner ? tasks : t1); t++)
            {
                long u = t / blocks, b = u / groups, grp = u % groups;
                int c0 = (int)(t % blocks) * chBlock, cn = Math.Min(chBlock, coutG - c0);
                long inOffset = (b * cin + grp * cinG) * P, outOffset = (b * cout + grp * coutG + c0) * oplane;
                unsafe
                {
                    fixed (T* pw = weight)
                    fixed (T* pi = input)
                    fixed (T* pcol = col.Span)
                    fixed (T* po = output)
                    {
                        // op(A) = the group's weights [cinG, K] transposed, rows c0·taps onward; with a 1×1 kernel the product is the output.
                        T* dst = pointwise ? po + outOffset : pcol;
                        Gemm.Core(true, false, cn * taps, P, cinG, T.One, pw + (long)grp * cinG * K + (long)c0 * taps, K, pi + inOffset, P, T.Zero, dst, P, allowParallel: inner);
                    }
                }
                var outBlock = output.AsSpan((int)outOffset, cn * oplane);
                if (!pointwise) Col2vol(col.Span[..(int)(cn * perChannel)], outBlock, cn, g);
                if (bias == null) continue;
                for (int ch = 0; ch < cn; ch++)
                {
                    var chPlane = outBlock.Slice(ch * oplane, oplane);
                    TensorPrimitives.Add(chPlane, bias[grp * coutG + c0 + ch], chPlane);
                }
            }
        });
    }

    /// <summary>Adds each [Cout·kD·kH·kW, input positions] column entry into the output position its kernel tap lands on.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Col2vol<T>(ReadOnlySpan<T> col, Span<T> output, int channels, in Geometry g) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Here g.In is the (transposed-conv) output and g.Out the input positions that scatter into it.
        int P = g.Out.Volume, taps = g.Kernel.Volume;
        for (int ch = 0; ch < channels; ch++)
            for (int kd = 0; kd < g.Kernel.D; kd++)
                for (int ki = 0; ki < g.Kernel.H; ki++)
                    for (int kj = 0; kj < g.Kernel.W; kj++)
                    {
                        int row = ch * taps + (kd * g.Kernel.H + ki) * g.Kernel.W + kj;
                        var src = col.Slice(row * P, P);
                        int offW = kj * g.Dil.W - g.Pad.W;
                        var (xLo, xHi) = ValidColumns(offW, g.In.W, g.Stride.W, g.Out.W);
                        if (xHi <= xLo) continue;
                        for (int z = 0; z < g.Out.D; z++)
                        {
                            int oz = z * g.Stride.D - g.Pad.D + kd * g.Dil.D;
                            if (oz < 0 || oz >= g.In.D) continue;
                            for (int y = 0; y < g.Out.H; y++)
                            {
                                int oy = y * g.Stride.H - g.Pad.H + ki * g.Dil.H;
                                if (oy < 0 || oy >= g.In.H) continue;
                                var orow = output.Slice(((ch * g.In.D + oz) * g.In.H + oy) * g.In.W, g.In.W);
                                var srow = src.Slice((z * g.Out.H + y) * g.Out.W, g.Out.W);
                                if (g.Stride.W == 1)
                                {
                                    var o = orow.Slice(xLo + offW, xHi - xLo);
                                    TensorPrimitives.Add(o, srow[xLo..xHi], o);
                                }
                                else
                                    for (int x = xLo; x < xHi; x++) orow[x * g.Stride.W + offW] += srow[x];
                            }
                        }
                    }
    }

    /// <summary>
    /// groups == C == O: each channel convolves only itself, so accumulate shifted input rows times a scalar tap,
    /// one output depth slice of one channel per task.
    /// </summary>
    private static void Depthwise<T>(T[] input, T[] weight, T[]? bias, T[] output, int n, int c, Geometry g) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int plane = g.In.Volume, slice = g.Out.H * g.Out.W, taps = g.Kernel.Volume;
        CpuParallel.For((long)n * c * g.Out.D, (double)slice * taps, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (u0, u1) =>
        {
            for (long u = u0; u < u1; u++)
            {
                long nc = u / g.Out.D;
                int ch = (int)(nc % c), z = (int)(u % g.Out.D);
                var src = input.AsSpan((int)(nc * plane), plane);
                var dst = output.AsSpan((int)(u * slice), slice);
                dst.Fill(bias != null ? bias[ch] : T.Zero);
                for (int kd = 0; kd < g.Kernel.D; kd++)
                {
                    int id = z * g.Stride.D - g.Pad.D + kd * g.Dil.D;
                    if (id < 0 || id >= g.In.D) continue;
                    for (int ki = 0; ki < g.Kernel.H; ki++)
                        for (int kj = 0; kj < g.Kernel.W; kj++)
                        {
                            T tap = weight[ch * taps + (kd * g.Kernel.H + ki) * g.Kernel.W + kj];
                            int offW = kj * g.Dil.W - g.Pad.W;
                            var (xLo, xHi) = ValidColumns(offW, g.In.W, g.Stride.W, g.Out.W);
                            if (xHi <= xLo) continue;
                            for (int y = 0; y < g.Out.H; y++)
                            {
                                int ih = y * g.Stride.H - g.Pad.H + ki * g.Dil.H;
                                if (ih < 0 || ih >= g.In.H) continue;
                                var srow = src.Slice((id * g.In.H + ih) * g.In.W, g.In.W);
                                var drow = dst.Slice(y * g.Out.W, g.Out.W);
                                if (g.Stride.W == 1)
                                {
                                    var d = drow[xLo..xHi];
                                    TensorPrimitives.MultiplyAdd(srow.Slice(xLo + offW, xHi - xLo), tap, d, d);
                                }
                                else
                                    for (int x = xLo; x < xHi; x++) drow[x] += tap * srow[x * g.Stride.W + offW];
                            }
                        }
                }
            }
        });
    }
}
