using Graphport.Kernels.Codegen;
using Graphport.Kernels.Planning;
using Graphport.Operators;

namespace Graphport.Kernels.Twin;

/// <summary>
/// Runs a <see cref="FusedProgram"/> on the CPU the way the device would: the generated kernels by interpreting
/// their index math and expression trees (the IR the CUDA C is printed from), matrix products from the strided
/// description handed to cuBLASLt, host steps with the CPU kernels, all in one arena laid out by the memory
/// plan. If this agrees with the reference interpreter, the plan, the fusion and the index math are right; the
/// device run only has to show that the CUDA C does what the IR says.
/// </summary>
public static class CpuTwin
{
    /// <summary>Runs the program on user inputs (in signature order) and returns every graph output.</summary>
    public static object?[] Run(FusedProgram program, IReadOnlyList<Tensor> userInputs) => Run(program, userInputs, TwinPrecision.Exact);

    /// <summary>
    /// The same, with the matrix products <paramref name="precision"/> names computed on TF32 operands, as the
    /// device's tensor cores would (<see cref="TwinPrecision"/>).
    /// </summary>
    public static object?[] Run(FusedProgram program, IReadOnlyList<Tensor> userInputs, TwinPrecision precision) =>
        Run(program, userInputs, new TwinMemory(program.Memory), null, precision);

    /// <summary>
    /// The same, with <paramref name="generated"/> running the generated kernels (the host-compiled CUDA C of
    /// kernels/HostEmulation) instead of the IR interpreter.
    /// </summary>
    /// <param name="writeWeights">Upload the weights into <paramref name="memory"/> first; false when it holds them from
    /// an earlier call, as a device bucket does (with what the program wrote into its buffers since).</param>
    internal static object?[] Run(FusedProgram program, IReadOnlyList<Tensor> userInputs, TwinMemory memory, Action<KernelStep, TwinMemory>? generated, TwinPrecision precision,
        bool writeWeights = true)
    {
        if (writeWeights)
            foreach (var (buffer, value) in program.Weights) memory.Write(buffer, value);
        if (userInputs.Count != program.UserInputs.Count)
            throw new ArgumentException($"The program takes {program.UserInputs.Count} inputs but {userInputs.Count} were given.");
        for (int i = 0; i < userInputs.Count; i++) memory.Write(program.UserInputs[i], userInputs[i]);
        // A run that threw part way may have left a fault behind: this one reports only its own.
        memory.TakeIndexFault();
        foreach (var step in program.Steps)
        {
            try
            {
                if (generated is not null && step.IsGenerated) generated(step, memory);
                else Execute(step, memory, precision);
            }
            catch (Exception e) when (e is not TwinStepException and not HostEmulation.HostCudaLaunchException)
            {
                throw new TwinStepException(step, e);
            }
        }
        var fault = memory.TakeIndexFault();
        DataFaultException.ThrowIfRecorded(program, fault.Site, fault.Value);
        return program.Outputs.Select(o => o.View is { } view ? (object?)memory.Read(view, view.Buffer.DType) : o.Constant).ToArray();
    }

    private static void Execute(KernelStep step, TwinMemory memory, TwinPrecision precision)
    {
        switch (step)
        {
            case PointwiseKernel p: RunPointwise(p, memory); break;
            case ReductionKernel r: RunReduction(r, memory); break;
            case NormKernel n: RunNorm(n, memory); break;
            case DirectConvKernel d: RunDirectConv(d, memory); break;
            case IntegerMatmulKernel g: RunIntegerMatmul(g, memory); break;
            case GroupedMatmulKernel g: RunGroupedMatmul(g, memory); break;
            case SortRowsKernel s: RunSortRows(s, memory); break;
            case MergeSortedRunsKernel m: RunMergeSortedRuns(m, memory); break;
            case MatmulStep m: RunMatmul(m.Problem, memory, precision); break;
            case HostStep h: RunHost(h, memory); break;
            default: throw new NotSupportedException($"The twin cannot run {step.GetType().Name}.");
        }
    }

    // Sets a space's linear variable and every coordinate derived from it, as the generated code does.
    private static Action<TwinEnvironment, long> Binder(TwinCompiler compiler, IterationSpace space)
    {
        int linear = compiler.Slot(space.Linear);
        var dims = Enumerable.Range(0, space.Shape.Count).Select(d => (Slot: compiler.Slot(space.Coordinate(d).Name), Index: compiler.Index(space.CoordinateFromLinear(d)))).ToArray();
        return (env, value) =>
        {
            env.Variables[linear] = value;
            foreach (var (slot, index) in dims) env.Variables[slot] = index(env);
        };
    }

    // An accumulating store adds to what the element holds (in the storage type, as the device's atomics do).
    private static (Func<TwinEnvironment, long> Index, Func<TwinEnvironment, double> Value, BufferRef Buffer)[] Stores(TwinCompiler compiler, IReadOnlyList<Store> stores, TwinMemory memory) =>
        stores.Select(s =>
        {
            var index = compiler.Index(s.Index);
            var value = compiler.Value(s.Value);
            if (!s.Accumulate) return (index, value, s.Buffer);
            var buffer = s.Buffer;
            bool integer = !ValueKinds.Of(buffer.DType).IsFloating();
            return (index, (Func<TwinEnvironment, double>)(env => integer
                ? unchecked((long)memory.Load(buffer, index(env)) + (long)value(env))
                : memory.Load(buffer, index(env)) + value(env)), buffer);
        }).ToArray();

    private static void RunPointwise(PointwiseKernel kernel, TwinMemory memory)
    {
        var compiler = new TwinCompiler(memory);
        var bind = Binder(compiler, kernel.Space);
        var stores = Stores(compiler, kernel.Stores, memory);
        var env = new TwinEnvironment(compiler.SlotCount);
        for (long i = 0; i < kernel.Space.Numel; i++)
        {
            bind(env, i);
            foreach (var (index, value, buffer) in stores) memory.Store(buffer, index(env), value(env));
        }
    }

    private static void RunReduction(ReductionKernel kernel, TwinMemory memory)
    {
        var compiler = new TwinCompiler(memory);
        var bindRow = Binder(compiler, kernel.Rows);
        var bindR = Binder(compiler, kernel.Reduced);
        var input = compiler.Value(kernel.Input);
        var stores = Stores(compiler, kernel.Epilogue, memory);
        var env = new TwinEnvironment(compiler.SlotCount);
        var kind = kernel.AccumulatorKind;
        bool arg = kernel.Op is ReductionOp.ArgMax or ReductionOp.ArgMin;
        for (long row = 0; row < kernel.Rows.Numel; row++)
        {
            bindRow(env, row);
            if (arg)
            {
                // The first NaN, else the first of the largest (smallest) values: the index is the accumulator.
                double best = 0;
                long at = -1;
                for (long r = 0; r < kernel.Reduced.Numel; r++)
                {
                    bindR(env, r);
                    double v = input(env);
                    bool better = at < 0 || (double.IsNaN(v) ? !double.IsNaN(best) : !double.IsNaN(best) && (kernel.Op == ReductionOp.ArgMax ? v > best : v < best));
                    if (better) (best, at) = (v, r);
                }
                env.Accumulator = at;
                foreach (var (index, value, buffer) in stores) memory.Store(buffer, index(env), value(env));
                continue;
            }
            double acc = Identity(kernel.Op, kind);
            for (long r = 0; r < kernel.Reduced.Numel; r++)
            {
                bindR(env, r);
                acc = Exprs.Convert(Combine(kernel.Op, acc, input(env)), kind);
            }
            env.Accumulator = acc;
            foreach (var (index, value, buffer) in stores) memory.Store(buffer, index(env), value(env));
        }
    }

    private static void RunDirectConv(DirectConvKernel kernel, TwinMemory memory)
    {
        var compiler = new TwinCompiler(memory);
        var bindPixel = Binder(compiler, kernel.Pixels);
        var bindTap = Binder(compiler, kernel.Taps);
        var input = compiler.Value(kernel.Input);
        var env = new TwinEnvironment(compiler.SlotCount);
        long taps = kernel.Taps.Numel, image = kernel.ImagePixels;
        var sums = new double[kernel.Cout];
        for (long p = 0; p < kernel.Pixels.Numel; p++)
        {
            bindPixel(env, p);
            Array.Clear(sums);
            for (long t = 0; t < taps; t++)
            {
                bindTap(env, t);
                double x = input(env);
                for (long co = 0; co < kernel.Cout; co++) sums[co] += x * memory.Load(kernel.Weight, kernel.WeightOffset + co * taps + t);
            }
            for (long co = 0; co < kernel.Cout; co++)
            {
                double bias = kernel.Bias is { } b ? memory.Load(b, kernel.BiasOffset + co) : 0;
                double v = (float)(sums[co] + bias);
                memory.Store(kernel.Output, (p / image * kernel.Cout + co) * image + p % image, kernel.Relu && v < 0 ? 0 : v);
            }
        }
    }

    // Each sum in int64, wrapped to the output's width at the store (modular, as the device's unsigned sums are).
    private static void RunIntegerMatmul(IntegerMatmulKernel kernel, TwinMemory memory)
    {
        var compiler = new TwinCompiler(memory);
        var bindA = Binder(compiler, kernel.ASpace);
        var bindB = Binder(compiler, kernel.BSpace);
        var a = compiler.Value(kernel.A);
        var b = compiler.Value(kernel.B);
        var env = new TwinEnvironment(compiler.SlotCount);
        long m = kernel.M, n = kernel.N, k = kernel.K;
        var left = new long[m * k];
        var right = new long[k * n];
        for (long batch = 0; batch < kernel.Batch; batch++)
        {
            for (long e = 0; e < m * k; e++)
            {
                bindA(env, batch * m * k + e);
                left[e] = (long)a(env);
            }
            for (long e = 0; e < k * n; e++)
            {
                bindB(env, batch * k * n + e);
                right[e] = (long)b(env);
            }
            for (long i = 0; i < m; i++)
                for (long j = 0; j < n; j++)
                {
                    long sum = 0;
                    for (long d = 0; d < k; d++) sum = unchecked(sum + left[i * k + d] * right[d * n + j]);
                    memory.Store(kernel.Output, (batch * m + i) * n + j, kernel.Output.DType == DType.Int32 ? unchecked((int)sum) : sum);
                }
        }
    }

    // The CPU kernel's order: by value (NaN greatest), descending when asked, equal values by position.
    private static int SortOrder(double a, long ia, double b, long ib, bool descending)
    {
        bool na = double.IsNaN(a), nb = double.IsNaN(b);
        int c = na || nb ? (na == nb ? 0 : na ? 1 : -1) : a.CompareTo(b);
        if (descending) c = -c;
        return c != 0 ? c : ia.CompareTo(ib);
    }

    // Where sort.cu's sorted_at puts element j of row r.
    private static long SortedAt(long r, long j, long row, long inner) => r / inner * row * inner + j * inner + r % inner;

    // Each chunk of each row sorted, its first keep placed as the kernel places them.
    private static void RunSortRows(SortRowsKernel kernel, TwinMemory memory)
    {
        var compiler = new TwinCompiler(memory);
        var bind = Binder(compiler, kernel.Space);
        var input = compiler.Value(kernel.Input);
        var env = new TwinEnvironment(compiler.SlotCount);
        long length = kernel.Length, inner = kernel.Inner;
        var chunk = new (double Value, long Position)[kernel.Chunk];
        var order = Comparer<(double Value, long Position)>.Create((a, b) => SortOrder(a.Value, a.Position, b.Value, b.Position, kernel.Descending));
        for (long r = 0; r < kernel.Rows; r++)
        {
            long first = r / inner * length * inner + r % inner;
            for (long start = 0; start < length; start += kernel.Chunk)
            {
                int n = (int)Math.Min(kernel.Chunk, length - start);
                for (int j = 0; j < n; j++)
                {
                    bind(env, first + (start + j) * inner);
                    chunk[j] = (input(env), start + j);
                }
                Array.Sort(chunk, 0, n, order);
                for (int j = 0; j < Math.Min(n, kernel.Keep); j++)
                {
                    long at = SortedAt(r, start + j, kernel.OutRow, kernel.OutInner);
                    memory.Store(kernel.Values, at, chunk[j].Value);
                    memory.Store(kernel.Positions, at, chunk[j].Position);
                }
            }
        }
    }

    // merge_sorted_runs: each valid element's place is its place in its run plus the partner run's elements before it.
    private static void RunMergeSortedRuns(MergeSortedRunsKernel kernel, TwinMemory memory)
    {
        long length = kernel.Length, width = kernel.Width, keep = kernel.Keep;
        long Valid(long start) => start < length ? Math.Min(Math.Min(width, length - start), keep) : 0;
        for (long r = 0; r < kernel.Rows; r++)
            for (long p = 0; p < length; p++)
            {
                long q = p / width, i = p - q * width;
                if (i >= Valid(q * width)) continue;
                long partner = (q ^ 1) * width, e = r * length + p;
                double key = memory.Load(kernel.Keys, e);
                long position = (long)memory.Load(kernel.KeyPositions, e);
                // The partner run is sorted: a binary search counts its elements that sort before this one.
                long before = 0, after = Valid(partner);
                while (before < after)
                {
                    long mid = (before + after) / 2, at = r * length + partner + mid;
                    if (SortOrder(memory.Load(kernel.Keys, at), (long)memory.Load(kernel.KeyPositions, at), key, position, kernel.Descending) < 0) before = mid + 1;
                    else after = mid;
                }
                long place = i + before;
                if (place >= keep) continue;
                long to = SortedAt(r, (q & ~1L) * width + place, kernel.OutRow, kernel.OutInner);
                memory.Store(kernel.Values, to, key);
                memory.Store(kernel.Positions, to, position);
            }
    }

    // As kernels/Cuda/grouped_matmul.cu's check_split_ends: the first negative count, else a total other than the rows.
    private static void CheckSplitEnds(long[] ends, long rows, int negativeSite, int totalSite, TwinMemory memory)
    {
        long previous = 0;
        foreach (var end in ends)
        {
            if (end < previous)
            {
                memory.RecordIndexFault(negativeSite, end - previous);
                return;
            }
            previous = end;
        }
        if (previous != rows) memory.RecordIndexFault(totalSite, previous);
    }

    // Each row's group is the count of ends at or below it, as the device's binary search finds it; rows past the last
    // end are zero. Sums in double, rounded to the output's dtype at the store.
    private static void RunGroupedMatmul(GroupedMatmulKernel kernel, TwinMemory memory)
    {
        var compiler = new TwinCompiler(memory);
        var bindA = Binder(compiler, kernel.ASpace);
        var bindB = Binder(compiler, kernel.BSpace);
        var bindEnd = Binder(compiler, kernel.EndsSpace);
        var a = compiler.Value(kernel.A);
        var b = compiler.Value(kernel.B);
        var end = compiler.Value(kernel.Ends);
        var env = new TwinEnvironment(compiler.SlotCount);
        long rows = kernel.Rows, n = kernel.N, k = kernel.K, groups = kernel.Groups;
        var ends = new long[groups];
        for (long g = 0; g < groups; g++)
        {
            bindEnd(env, g);
            ends[g] = (long)end(env);
        }
        if (kernel.SplitChecks is var (negative, total)) CheckSplitEnds(ends, rows, negative, total, memory);
        var row = new double[k];
        for (long i = 0; i < rows; i++)
        {
            long group = ends.Count(e => e <= i);
            for (long d = 0; d < k; d++)
            {
                bindA(env, i * k + d);
                row[d] = group < groups ? a(env) : 0;
            }
            for (long j = 0; j < n; j++)
            {
                double sum = 0;
                if (group < groups)
                    for (long d = 0; d < k; d++)
                    {
                        bindB(env, (group * k + d) * n + j);
                        sum += row[d] * b(env);
                    }
                memory.Store(kernel.Output, i * n + j, sum);
            }
        }
    }

    private static double Identity(ReductionOp op, ValueKind kind) => op switch
    {
        ReductionOp.Sum => 0,
        ReductionOp.Prod => 1,
        ReductionOp.Max => kind == ValueKind.Int64 ? long.MinValue : double.NegativeInfinity,
        _ => kind == ValueKind.Int64 ? long.MaxValue : double.PositiveInfinity,
    };

    private static double Combine(ReductionOp op, double acc, double value) => op switch
    {
        ReductionOp.Sum => acc + value,
        ReductionOp.Prod => acc * value,
        ReductionOp.Max => double.IsNaN(acc) || acc > value ? acc : value,
        _ => double.IsNaN(acc) || acc < value ? acc : value,
    };

    private static void RunNorm(NormKernel kernel, TwinMemory memory)
    {
        var compiler = new TwinCompiler(memory);
        var bindRow = Binder(compiler, kernel.Rows);
        var bindR = Binder(compiler, kernel.Reduced);
        var input = compiler.Value(kernel.Input);
        var weight = kernel.Weight is null ? null : compiler.Value(kernel.Weight);
        var bias = kernel.Bias is null ? null : compiler.Value(kernel.Bias);
        var stores = Stores(compiler, kernel.Epilogue, memory);
        var env = new TwinEnvironment(compiler.SlotCount);
        var kind = kernel.Input.Kind;
        double R(double v) => Exprs.Convert(v, kind);
        long len = kernel.Reduced.Numel;
        var row = new double[len];
        for (long rowIndex = 0; rowIndex < kernel.Rows.Numel; rowIndex++)
        {
            bindRow(env, rowIndex);
            for (long r = 0; r < len; r++)
            {
                bindR(env, r);
                row[r] = input(env);
            }
            Func<double, double> normalize;
            if (kernel.Kind == NormKind.CumSum)
            {
                // Called for r = 0, 1, ... in order: the running sum, rounded as the kernel's type rounds it.
                double running = 0;
                normalize = v => running = R(running + v);
            }
            else if (kernel.Kind == NormKind.RmsNorm)
            {
                double squares = 0;
                foreach (var v in row) squares = R(squares + R(v * v));
                double scale = R(1 / R(Math.Sqrt(R(R(squares / len) + kernel.Epsilon))));
                normalize = v => R(v * scale);
            }
            else if (kernel.Kind == NormKind.LayerNorm)
            {
                double sum = 0;
                foreach (var v in row) sum = R(sum + v);
                double mean = R(sum / len);
                double squares = 0;
                foreach (var v in row) { double d = R(v - mean); squares = R(squares + R(d * d)); }
                double rstd = R(1 / R(Math.Sqrt(R(R(squares / len) + kernel.Epsilon))));
                normalize = v => R(R(v - mean) * rstd);
            }
            else
            {
                double max = double.NegativeInfinity;
                foreach (var v in row) max = double.IsNaN(max) || max > v ? max : v;
                double sum = 0;
                foreach (var v in row) sum = R(sum + R(Math.Exp(R(v - max))));
                double logSum = R(Math.Log(sum));
                normalize = kernel.Kind == NormKind.LogSoftmax ? v => R(R(v - max) - logSum)
                    : kernel.Kind == NormKind.SafeSoftmax && double.IsNegativeInfinity(max) ? _ => 0
                    : v => R(R(Math.Exp(R(v - max))) / sum);
            }
            for (long r = 0; r < len; r++)
            {
                bindR(env, r);
                double y = normalize(row[r]);
                if (weight is not null) y = R(y * weight(env));
                if (bias is not null) y = R(y + bias(env));
                env.Accumulator = y;
                foreach (var (index, value, buffer) in stores) memory.Store(buffer, index(env), value(env));
            }
        }
    }

    /// <summary>
    /// D = act(alpha·A·B + beta·C + bias), element by element from the strides cuBLASLt would get; A and B rounded to
    /// TF32 where <paramref name="precision"/> says the device multiplies them so (C and the bias never are: the
    /// epilogue adds them in float32).
    /// </summary>
    internal static void RunMatmul(MatmulProblem p, TwinMemory memory, TwinPrecision precision)
    {
        bool single = p.DType != DType.Float64;
        double R(double v) => single ? (float)v : v;
        bool tf32 = precision.RoundsToTf32(p);
        // Float32 buffers load exactly as doubles, so the cast to float loses nothing before the rounding.
        double Operand(double v) => tf32 ? TwinPrecision.RoundToTf32((float)v) : v;
        var a = new double[p.M * p.K];
        var b = new double[p.K * p.N];
        var sums = new double[p.N];
        for (long batch = 0; batch < p.Batch; batch++)
        {
            // Gather this batch's operands through their strides once, then multiply dense arrays.
            for (long i = 0; i < p.M; i++)
                for (long k = 0; k < p.K; k++) a[i * p.K + k] = Operand(memory.Load(p.A.Buffer, p.A.Index(batch, i, k)));
            for (long k = 0; k < p.K; k++)
                for (long j = 0; j < p.N; j++) b[k * p.N + j] = Operand(memory.Load(p.B.Buffer, p.B.Index(batch, k, j)));
            for (long i = 0; i < p.M; i++)
            {
                Array.Clear(sums);
                for (long k = 0; k < p.K; k++)
                {
                    double aik = a[i * p.K + k];
                    if (aik == 0) continue;
                    long row = k * p.N;
                    for (long j = 0; j < p.N; j++) sums[j] += aik * b[row + j];
                }
                for (long j = 0; j < p.N; j++)
                {
                    double v = R(p.Alpha * R(sums[j]));
                    if (p.C is { } c) v = R(v + p.Beta * memory.Load(c.Buffer, c.Index(batch, i, j)));
                    if (p.Bias is { } bias) v = R(v + memory.Load(bias.Buffer, bias.Offset + j * bias.Stride));
                    v = p.Activation switch
                    {
                        MatmulActivation.Relu => v < 0 ? 0 : v,
                        MatmulActivation.GeluTanh => R(0.5 * v * (1 + Math.Tanh(0.79788456080286536 * (v + 0.044715 * v * v * v)))),
                        _ => v,
                    };
                    memory.Store(p.D.Buffer, p.D.Index(batch, i, j), v);
                }
            }
        }
    }

    private static void RunHost(HostStep step, TwinMemory memory)
    {
        var tensors = step.Inputs.Select(v => memory.Read(v, v.Buffer.DType)).ToArray();
        object? Convert(object? a) => a switch
        {
            HostTensorArgument t => tensors[t.Index],
            object?[] list => ToList(list.Select(Convert).ToArray()),
            _ => a,
        };
        var args = step.Arguments.Select(Convert).ToArray();
        var kwargs = step.Kwargs.ToDictionary(kv => kv.Key, kv => Convert(kv.Value));
        var result = step.Call.Run(args, kwargs);
        var outputs = result switch
        {
            Tensor t => [t],
            object?[] items => items.Select(x => x as Tensor).ToArray(),
            _ => throw new InvalidOperationException($"{step.Call.Name} returned {result?.GetType().Name ?? "nothing"}."),
        };
        for (int i = 0; i < step.Outputs.Count; i++)
            if (step.Outputs[i] is { } buffer && outputs[i] is { } tensor) memory.Write(buffer, tensor);
    }

    internal static object ToList(object?[] items) => items.Length > 0 && items.All(x => x is Tensor) ? items.Cast<Tensor>().ToArray() : items;
}

/// <summary>A step failed in the CPU twin; the message names the step.</summary>
public sealed class TwinStepException(KernelStep step, Exception inner)
    : Exception($"CPU twin: step {step.Name} ({step.Comment}) failed: {inner.Message}", inner)
{
    public KernelStep Step { get; } = step;
}
