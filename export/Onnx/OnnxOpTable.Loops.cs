namespace Graphport.Onnx;

/// <summary>
/// Loop, unrolled at import as torch.export unrolls a Python for-loop: when the trip count and the condition are
/// known while tracing (constants, or computed from sizes and the iteration number), the body runs once per
/// iteration with the carried values bound to its inputs, and the scan outputs are stacked along a new axis 0.
/// Carried shape arithmetic stays known values; a loop whose condition depends on tensor data is refused.
/// </summary>
internal static partial class OnnxOpTable
{
    /// <summary>The most iterations unrolled: each one is a copy of the body in the program.</summary>
    private const int MaxUnrolledIterations = 4096;

    private static void AddLoops(Dictionary<string, Func<OnnxNodeContext, OnnxValue[]>> t)
    {
        t["Loop"] = Loop;
    }

    private static OnnxValue[] Loop(OnnxNodeContext c)
    {
        var body = c.Attr("body")?.Graph ?? throw c.Fail("has no body subgraph");
        int carriedCount = Math.Max(0, c.InputCount - 2);
        var bodyInputs = body.RuntimeInputs;
        if (bodyInputs.Count != carriedCount + 2)
            throw c.Fail($"has a body with {bodyInputs.Count} input(s); with {carriedCount} loop-carried value(s) it must take {carriedCount + 2} (iteration number, condition, then the carried values)");
        int scanCount = body.Outputs.Count - 1 - carriedCount;
        if (scanCount < 0)
            throw c.Fail($"has a body with {body.Outputs.Count} output(s); with {carriedCount} loop-carried value(s) it must return at least {carriedCount + 1} (condition, then the carried values, then any scan outputs)");

        long? tripCount = LoopTripCount(c);
        bool running = !c.Has(1) || LoopCondition(c, c.Value(1), $"initial condition (input 1, '{c.Node.Inputs[1]}')");
        // A body that passes its condition through unchanged cannot end the loop early: refuse before unrolling anything.
        if (running && tripCount > MaxUnrolledIterations && PassesThrough(body, body.Outputs[0].Name, bodyInputs[1].Name))
            throw TooManyIterations(c, $"has a trip count of {tripCount}");

        var carried = Enumerable.Range(2, carriedCount).Select(c.Value).ToArray();
        var scans = Enumerable.Range(0, scanCount).Select(_ => new List<OnnxValue>()).ToArray();
        long iteration = 0;
        while (running && (tripCount is null || iteration < tripCount))
        {
            if (iteration == MaxUnrolledIterations)
                throw TooManyIterations(c, tripCount is null ? "has no trip count and its condition was still true" : $"has a trip count of {tripCount} and its condition was still true");
            var bound = new Dictionary<string, OnnxValue>(StringComparer.Ordinal)
            {
                [bodyInputs[0].Name] = LoopScalar(bodyInputs[0], iteration, DType.Int64),
                [bodyInputs[1].Name] = LoopScalar(bodyInputs[1], 1, DType.Bool),
            };
            for (int k = 0; k < carriedCount; k++) bound[bodyInputs[k + 2].Name] = carried[k];
            var outputs = c.RunBranch(body, bound);
            Array.Copy(outputs, 1, carried, 0, carriedCount);
            for (int k = 0; k < scanCount; k++) scans[k].Add(outputs[1 + carriedCount + k]);
            iteration++;
            // The condition after the last counted iteration is never read, so it may depend on data.
            if (tripCount is null || iteration < tripCount)
                running = LoopCondition(c, outputs[0], $"condition after iteration {iteration - 1} (body output '{body.Outputs[0].Name}')");
        }

        var results = new OnnxValue[carriedCount + scanCount];
        Array.Copy(carried, results, carriedCount);
        for (int k = 0; k < scanCount; k++)
            results[carriedCount + k] = scans[k].Count > 0 ? StackScan(c, scans[k], k) : EmptyScan(c, body.Outputs[1 + carriedCount + k]);
        return results;
    }

    /// <summary>M as a number, or null when absent (the loop runs while its condition holds).</summary>
    private static long? LoopTripCount(OnnxNodeContext c)
    {
        if (!c.Has(0))
        {
            if (!c.Has(1)) throw c.Fail("has neither a trip count (M) nor a condition, so it never ends; give it a trip count");
            return null;
        }
        var known = c.Known(0) ?? throw c.Fail(
            $"computes its trip count (input 0, '{c.Node.Inputs[0]}') from tensor data; Graphport unrolls loops whose trip count and condition are known at import " +
            "(a constant, or computed from input sizes). Fix the input shapes (--static / StaticShapes) or simplify the model (onnx-simplifier) so the trip count is constant");
        if (known.Items.Length != 1) throw c.Fail($"has a trip count of {known.Items.Length} elements; M is one integer");
        // A trip count computed from a symbolic size is specialized: the program then fixes that size, as torch.export does for range(x.size(0)).
        return Math.Max(0, (long)known.Items[0]);
    }

    /// <summary>A loop condition known while tracing; one computed from tensor data is refused.</summary>
    private static bool LoopCondition(OnnxNodeContext c, OnnxValue value, string what)
    {
        switch (value)
        {
            case ShapeValue { Items.Length: 1 } s:
                return (long)s.Items[0] != 0;
            case TensorValue { Tensor: { IsFake: false, NumelLong: 1 } t }:
                return t.ToArray<double>()[0] != 0;
            case TensorValue { Tensor.IsFake: true }:
                throw c.Fail($"has a {what} that depends on tensor data; Graphport unrolls loops whose trip count and condition are known at import " +
                    "(constants, or computed from sizes and the iteration number). Rewrite the loop with a fixed trip count, or bound it and mask the extra iterations");
            default:
                throw c.Fail($"has a {what} that is not one boolean");
        }
    }

    /// <summary>Whether the body's output is its input unchanged (directly or through Identity nodes, as torch.onnx writes a for-loop's condition).</summary>
    private static bool PassesThrough(OnnxGraph body, string output, string input)
    {
        var identities = body.Nodes.Where(n => n.OpType == "Identity" && n.Inputs.Count == 1 && n.Outputs.Count == 1)
            .ToDictionary(n => n.Outputs[0], n => n.Inputs[0], StringComparer.Ordinal);
        for (int hops = 0; hops <= identities.Count; hops++)
        {
            if (output == input) return true;
            if (!identities.TryGetValue(output, out var source)) return false;
            output = source;
        }
        return false;
    }

    private static OnnxImportException TooManyIterations(OnnxNodeContext c, string why) => c.Fail(
        $"{why}; Graphport unrolls a loop at import into one copy of its body per iteration and stops at {MaxUnrolledIterations} iterations, " +
        "beyond which the program would grow too large to compile or serve. Rewrite the loop as tensor ops over the whole range (a cumsum, a batched matmul), or split the model");

    /// <summary>The iteration number or condition the body receives: a scalar, or a one-element vector where the body declares one.</summary>
    private static ShapeValue LoopScalar(OnnxValueInfo declared, long value, DType dtype) =>
        declared.Shape is { Count: 1 } ? new ShapeValue(dtype, [1], [value]) : ShapeValue.Scalar(value, dtype);

    /// <summary>One scan output's per-iteration values stacked along a new axis 0 (sizes stay sizes when each is one number).</summary>
    private static OnnxValue StackScan(OnnxNodeContext c, List<OnnxValue> parts, int k)
    {
        // As the importer keeps small integer vectors: up to 64 known entries.
        if (parts.All(p => p is ShapeValue { Dims.Length: 0 }) && parts.Count <= 64)
            return ShapeValue.Vector(parts.Select(p => ((ShapeValue)p).Items[0]).ToArray(), parts[0].DType);
        var tensors = parts.Select(p => p switch
        {
            TensorValue tv => tv.Tensor,
            ShapeValue sv => OnnxImporter.Materialize(sv),
            _ => throw c.Fail($"has a scan output {k} that is not a tensor"),
        }).ToArray();
        using var eager = tensors.All(t => !t.IsFake) ? OnnxNodeContext.Eagerly() : null;
        return new TensorValue(Call(Aten.Stack, tensors, 0L));
    }

    /// <summary>A scan output of a loop that ran no iterations: empty along axis 0, its other sizes as the body declares them.</summary>
    private static OnnxValue EmptyScan(OnnxNodeContext c, OnnxValueInfo declared)
    {
        var dtype = declared.ElementType.ToDType();
        if (dtype is null || declared.Shape is null || declared.Shape.Any(d => !d.IsFixed))
            throw c.Fail($"runs no iterations, so its scan output '{declared.Name}' is empty, but the body declares it as {declared}, without a fixed element type and shape; " +
                "declare the body output's type and sizes, or give the loop a trip count of at least 1");
        using var eager = OnnxNodeContext.Eagerly();
        return new TensorValue(Torch.Zeros([0, .. declared.Shape.Select(d => d.Value!.Value)], dtype.Value));
    }
}
