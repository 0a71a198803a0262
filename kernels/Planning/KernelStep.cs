using Graphport.Kernels.Codegen;

namespace Graphport.Kernels.Planning;

/// <summary>One step of a compiled program, in execution order: a generated kernel, a library call, or host work.</summary>
public abstract record KernelStep(string Name, string Comment)
{
    /// <summary>Buffers this step reads (weights included).</summary>
    public abstract IEnumerable<BufferRef> Reads();

    /// <summary>Buffers this step writes.</summary>
    public abstract IEnumerable<BufferRef> Writes();

    /// <summary>Generated CUDA C kernels; library calls and host steps have none.</summary>
    public virtual bool IsGenerated => false;

    /// <summary>
    /// The graph node whose lowering emitted this step (a convolution's im2col and GEMM both name it), so timings
    /// of two plans of one program can be compared node by node.
    /// </summary>
    public string? Origin { get; init; }
}

/// <summary>
/// One element's store: <see cref="Value"/> goes to <see cref="Buffer"/>[<see cref="Index"/>], or with
/// <see cref="Accumulate"/> is added to what is there, atomically (threads may meet at an element: scatter_add).
/// </summary>
public sealed record Store(BufferRef Buffer, IndexExpr Index, Expr Value, bool Accumulate = false);

/// <summary>
/// A fused elementwise kernel: every element of <see cref="Space"/> evaluates its stores. Chains of pointwise
/// ops, views, casts, gathers (embedding), concatenation, padding and im2col all become one of these.
/// </summary>
public sealed record PointwiseKernel(string Name, string Comment, IterationSpace Space, IReadOnlyList<Store> Stores) : KernelStep(Name, Comment)
{
    public override IEnumerable<BufferRef> Reads() => Stores.SelectMany(s => ExprWalker.Buffers(s.Value).Concat(ExprWalker.Buffers(s.Index))).Distinct();

    public override IEnumerable<BufferRef> Writes() => Stores.Select(s => s.Buffer).Distinct();

    public override bool IsGenerated => true;
}

/// <summary>How a reduction combines values.</summary>
public enum ReductionOp
{
    Sum,
    Max,
    Min,
    Prod,

    /// <summary>The index of the largest value (NaN above all, the first among equals), as argmax gives it: the input
    /// is the value, the accumulator the index.</summary>
    ArgMax,

    /// <summary>The index of the smallest value (NaN below all, the first among equals).</summary>
    ArgMin,
}

/// <summary>
/// A reduction: for each element of <see cref="Rows"/>, combine <see cref="Input"/> over <see cref="Reduced"/>
/// (a pointwise prologue, already inlined into the input), then run the epilogue stores with the result as the
/// accumulator. Sums, means, pooling windows and direct (depthwise, grouped, transposed) convolutions are these.
/// </summary>
public sealed record ReductionKernel(string Name, string Comment, ReductionOp Op, ValueKind AccumulatorKind, IterationSpace Rows, IterationSpace Reduced,
    Expr Input, IReadOnlyList<Store> Epilogue, IReadOnlyList<IndexExpr> OutputCoordinates, IReadOnlyList<long> OutputShape) : KernelStep(Name, Comment)
{
    public override IEnumerable<BufferRef> Reads() => ExprWalker.Buffers(Input).Concat(Epilogue.SelectMany(s => ExprWalker.Buffers(s.Value).Concat(ExprWalker.Buffers(s.Index)))).Distinct();

    public override IEnumerable<BufferRef> Writes() => Epilogue.Select(s => s.Buffer).Distinct();

    public override bool IsGenerated => true;
}

/// <summary>Row normalizations: each row is read for its statistics and then written normalized.</summary>
public enum NormKind
{
    Softmax,
    LogSoftmax,
    LayerNorm,

    /// <summary>Softmax whose rows of nothing but -inf (a query with every key masked out) come out zero, not 0/0:
    /// torch's _safe_softmax, which attention decomposes to (<see cref="Planning.FusionPlanner"/> finds its guard).</summary>
    SafeSoftmax,

    /// <summary>Running sums along the row (cumsum: RoBERTa's position ids from its padding mask); integers sum in int64.</summary>
    CumSum,

    /// <summary>x · rsqrt(mean(x²) + eps) along the row (a transformers RMS norm, <see cref="Planning.RmsNormPattern"/>).</summary>
    RmsNorm,
}

/// <summary>
/// Softmax, log-softmax or layer/group norm over <see cref="Reduced"/> for each element of <see cref="Rows"/>;
/// the epilogue stores see the normalized (and, for layer norm, scaled and shifted) value as the accumulator.
/// </summary>
public sealed record NormKernel(string Name, string Comment, NormKind Kind, IterationSpace Rows, IterationSpace Reduced, Expr Input,
    Expr? Weight, Expr? Bias, double Epsilon, IReadOnlyList<Store> Epilogue, IReadOnlyList<IndexExpr> OutputCoordinates, IReadOnlyList<long> OutputShape) : KernelStep(Name, Comment)
{
    public override IEnumerable<BufferRef> Reads()
    {
        var exprs = new List<Expr> { Input };
        if (Weight is not null) exprs.Add(Weight);
        if (Bias is not null) exprs.Add(Bias);
        return exprs.SelectMany(ExprWalker.Buffers).Concat(Epilogue.SelectMany(s => ExprWalker.Buffers(s.Value).Concat(ExprWalker.Buffers(s.Index)))).Distinct();
    }

    public override IEnumerable<BufferRef> Writes() => Epilogue.Select(s => s.Buffer).Distinct();

    public override bool IsGenerated => true;
}

/// <summary>A matrix product run by cuBLASLt (the CPU twin multiplies the same strided description).</summary>
public sealed record MatmulStep(string Name, string Comment, MatmulProblem Problem) : KernelStep(Name, Comment)
{
    public override IEnumerable<BufferRef> Reads()
    {
        yield return Problem.A.Buffer;
        yield return Problem.B.Buffer;
        if (Problem.Bias is { } bias) yield return bias.Buffer;
        if (Problem.C is { } c) yield return c.Buffer;
    }

    public override IEnumerable<BufferRef> Writes() => [Problem.D.Buffer];
}

/// <summary>
/// An op without a CUDA kernel, run on the host by the CPU kernels (or, for cond and map, the CPU interpreter on
/// their subgraphs): its tensor inputs are copied out of the device buffers (as the strided views they are), its
/// outputs copied back in.
/// </summary>
public sealed record HostStep(string Name, string Comment, HostCall Call, object?[] Arguments, IReadOnlyDictionary<string, object?> Kwargs,
    IReadOnlyList<StridedView> Inputs, IReadOnlyList<BufferRef?> Outputs) : KernelStep(Name, Comment)
{
    public override IEnumerable<BufferRef> Reads() => Inputs.Select(v => v.Buffer).Distinct();

    public override IEnumerable<BufferRef> Writes() => Outputs.OfType<BufferRef>();
}

/// <summary>A host step argument: the i-th of its <see cref="HostStep.Inputs"/> as a tensor.</summary>
public sealed record HostTensorArgument(int Index);
