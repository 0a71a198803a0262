using Graphport.Graphs;
using Graphport.Kernels.Codegen;
using Graphport.Operators;

namespace Graphport.Kernels.Planning;

// Integer mm and bmm (int32 and int64 results) become generated tiled kernels (IntegerMatmulKernel); they ran on the
// host, copying both operands out of the device and the product back in.
public sealed partial class FusionPlanner
{
    /// <summary>
    /// An operand's prologue is computed once per tile of the other dimension (n / 64 times for A); one longer than
    /// this many expression nodes is stored by a kernel of its own first. A dynamic quantization's (divide by the
    /// scale, round, add the zero point, clamp, two casts, subtract) has about 25.
    /// </summary>
    internal const int InlineOperandNodes = 48;

    private PlannedValue? TryLowerIntegerMatmul(Node node, OpOverload op, Dictionary<string, object?> args, TensorMeta meta)
    {
        if (op.Name is not ("aten::mm" or "aten::bmm")) return null;
        var a = (PlannedValue)args["self"]!;
        var b = (PlannedValue)args["mat2"]!;
        if (a.DType != meta.DType || b.DType != meta.DType) return null;
        bool batched = op.Name == "aten::bmm";
        var outShape = shapes.Evaluate(meta.Shape);
        long batch = batched ? outShape[0] : 1, m = outShape[^2], n = outShape[^1], k = a.Shape[^1];
        var aSpace = new IterationSpace("ai", "a", [batch, m, k]);
        var bSpace = new IterationSpace("bi", "b", [batch, k, n]);
        var left = Operand(a, aSpace, batched);
        var right = Operand(b, bSpace, batched);
        var output = NewBuffer(node.Name, meta.DType, batch * m * n, BufferKind.Intermediate);
        var result = new PlannedValue(node.Name, meta.DType, outShape) { Stored = StridedView.Contiguous(output, outShape) };
        foreach (var operand in new[] { a, b })
            if (!operand.IsStored) result.Provenance.AddRange(operand.Provenance);
        result.Provenance.Add(op.Name);
        steps.Add(new IntegerMatmulKernel(Hint(result), $"{node.Name} = {ShortOpName(op.Name)} {meta.DType.ShortName()} [{m}x{k}] @ [{k}x{n}]{(batched ? $" x{batch}" : "")}",
            aSpace, bSpace, left, right, output));
        return result;
    }

    // The operand at its space's coordinates (batch, row, column), an mm's without the batch; inlined when cheap.
    private Expr Operand(PlannedValue value, IterationSpace space, bool batched)
    {
        var c = space.Coordinates;
        return Exprs.Cast(ReadInlinedOrStored(value, batched ? c : [c[1], c[2]]), ValueKind.Int64);
    }

    /// <summary>
    /// A value as a kernel that reads each element many times reads it (a tiled product's operands, a row sort's input):
    /// its producers inlined when cheap, else stored by a kernel of its own first and loaded.
    /// </summary>
    private Expr ReadInlinedOrStored(PlannedValue value, IndexExpr[] at)
    {
        if (!value.IsStored && ExprWalker.Nodes(value.Read(at)).Count() > InlineOperandNodes) Materialize(value);
        return value.Read(at);
    }
}
