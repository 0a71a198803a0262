using Graphport.Graphs;

namespace Graphport;

/// <summary>
/// What a frozen module (<see cref="ExportedModule.Freeze"/>) runs differently from the graph as written: each
/// convolution whose only user is an inference batch norm, with weights, bias and statistics that never change,
/// runs with the batch norm folded into its weight and bias (<see cref="BatchNormFolding"/>, computed once here),
/// and the batch norm then only hands that result on; and each matrix product (mm, addmm) whose right operand is
/// such a constant (or its transpose) reads it packed once for the GEMM (<see cref="Graphport.Cpu.Gemm.Pack{T}"/>)
/// instead of packing it on every call. Parameters and buffers the program itself updates are never used this way,
/// since they change from call to call.
/// </summary>
internal sealed class FrozenRunner : INodeRunner
{
    private const string Convolution = "aten::convolution";
    private const string BatchNorm = "aten::_native_batch_norm_legit_no_training";
    private const string MatrixProduct = "aten::mm";
    private const string MatrixProductAdded = "aten::addmm";

    private readonly Dictionary<Node, (Tensor Weight, Tensor Bias)> folded = [];
    private readonly Dictionary<Node, Tensor> emptyStatistics = [];
    private readonly Dictionary<Node, object> packedRightOperands = [];

    // Views that turn a weight into a product's right operand (linear layers multiply by W transposed).
    private static readonly HashSet<string> OperandViews = new(StringComparer.Ordinal) { "aten::t", "aten::permute", "aten::transpose.int" };

    public FrozenRunner(ExportedProgram program, IReadOnlyDictionary<string, Tensor> state)
    {
        var updated = program.GraphSignature.OutputSpecs
            .Where(o => o.Kind is OutputKind.BufferMutation or OutputKind.ParameterMutation)
            .Select(o => o.Target).ToHashSet(StringComparer.Ordinal);
        // Placeholders come in the order of the signature's inputs (as ExportedModule binds them).
        var constant = new Dictionary<Node, Tensor>();
        var placeholders = program.Graph.Placeholders.ToList();
        for (int i = 0; i < placeholders.Count && i < program.GraphSignature.InputSpecs.Count; i++)
        {
            var spec = program.GraphSignature.InputSpecs[i];
            if (spec.Target is not { } target || updated.Contains(target)) continue;
            if (spec.Kind is InputKind.Parameter or InputKind.Buffer && state.TryGetValue(target, out var value)) constant[placeholders[i]] = value;
            else if (spec.Kind == InputKind.ConstantTensor && program.Constants.TryGetValue(target, out var fixedValue)) constant[placeholders[i]] = fixedValue;
        }
        foreach (var node in program.Graph.Nodes)
        {
            if (node.Op?.Name is MatrixProduct or MatrixProductAdded && ConstantOperand(node.Args.ElementAtOrDefault(node.Op.Name == MatrixProduct ? 1 : 2), constant) is { } operand
                && Operators.LinalgKernels.PackRightOperand(operand) is { } packed)
                packedRightOperands[node] = packed;
            if (node.Op?.Name == Convolution && FoldableNorm(node, constant) is { } norm)
            {
                Tensor? Value(object? arg) => arg is Node n ? constant[n] : null;
                folded[node] = BatchNormFolding.Fold(constant[(Node)node.Args[1]!], Value(node.Args[2]),
                    constant[(Node)norm.Args[3]!], constant[(Node)norm.Args[4]!], Value(norm.Args[1]), Value(norm.Args[2]), Convert.ToDouble(norm.Args[6]));
                emptyStatistics[norm] = Torch.Zeros([0], dtype: constant[(Node)node.Args[1]!].DType);
            }
        }
    }

    /// <summary>Matrix products whose right operand was packed once.</summary>
    public int PackedMatrices => packedRightOperands.Count;

    /// <summary>Batch norms folded into the convolutions before them.</summary>
    public int FoldedBatchNorms => folded.Count;

    public bool TryRun(Node node, Func<object?, object?> resolve, out object? result)
    {
        if (folded.TryGetValue(node, out var weights))
        {
            var args = node.Args.Select(resolve).ToArray();
            (args[1], args[2]) = (weights.Weight, weights.Bias);
            result = node.Op!.Call(args);
            return true;
        }
        if (packedRightOperands.TryGetValue(node, out var packed))
        {
            var kwargs = node.Kwargs.Count == 0 ? null : node.Kwargs.ToDictionary(kv => kv.Key, kv => resolve(kv.Value));
            var bound = node.Op!.BindArgs(node.Args.Select(resolve).ToArray(), kwargs);
            result = Operators.LinalgKernels.ProductWithPacked(node.Op.Name == MatrixProductAdded, bound, packed);
            return result is not null;
        }
        if (emptyStatistics.TryGetValue(node, out var empty))
        {
            // The convolution before it already gave the normalized output; the statistics outputs are unused.
            result = new[] { (Tensor)resolve(node.Args[0])!, empty, empty };
            return true;
        }
        result = null;
        return false;
    }

    // A constant placeholder, or a transposing view of one (computed here: it never changes either).
    private static Tensor? ConstantOperand(object? arg, Dictionary<Node, Tensor> constant)
    {
        if (arg is not Node node) return null;
        if (constant.TryGetValue(node, out var value)) return value;
        if (node.Op is not { } op || !OperandViews.Contains(op.Name) || node.Kwargs.Count != 0) return null;
        if (node.Args.ElementAtOrDefault(0) is not Node source || !constant.TryGetValue(source, out var weight) || node.Args.Skip(1).Any(a => a is Node)) return null;
        return op.Call([weight, .. node.Args.Skip(1)]) as Tensor;
    }

    // The inference batch norm a convolution can absorb: its only user, reading it as input, with constant
    // statistics and affine parameters, and only the normalized output (item 0) used.
    private static Node? FoldableNorm(Node conv, Dictionary<Node, Tensor> constant)
    {
        bool Fixed(object? arg, bool optional) => arg is Node n ? constant.ContainsKey(n) : optional && arg is null;
        if (conv.Args.Length != 9 || conv.Kwargs.Count != 0 || conv.Args[6] is not false) return null;
        if (!Fixed(conv.Args[1], optional: false) || !Fixed(conv.Args[2], optional: true)) return null;
        if (constant[(Node)conv.Args[1]!].DType is not (DType.Float32 or DType.Float64)) return null;
        if (conv.Users is not [{ Op.Name: BatchNorm } norm] || !ReferenceEquals(norm.Args[0], conv) || norm.Args.Length != 7 || norm.Kwargs.Count != 0) return null;
        if (!Fixed(norm.Args[1], optional: true) || !Fixed(norm.Args[2], optional: true) || !Fixed(norm.Args[3], optional: false) || !Fixed(norm.Args[4], optional: false)) return null;
        bool onlyNormalized = norm.Users.All(u => u.Target is BuiltinTarget b && b == BuiltinTarget.GetItem && Convert.ToInt64(u.Args[1]) == 0);
        return onlyNormalized ? norm : null;
    }
}
