using Graphport.Graphs;
using Graphport.Kernels.Codegen;
using Graphport.Operators;

namespace Graphport.Kernels.Planning;

// Floating mm, bmm and addmm become cuBLASLt calls; a 1-D addmm input is the bias epilogue, a following ReLU/GELU the activation.
public sealed partial class FusionPlanner
{
    private PlannedValue? TryLowerMatmul(Node node, OpOverload op, Dictionary<string, object?> args)
    {
        if (node.Value is TensorMeta { DType: DType.Int32 or DType.Int64 } integer) return TryLowerIntegerMatmul(node, op, args, integer);
        if (node.Value is not TensorMeta meta || !ValueKinds.Of(meta.DType).IsFloating()) return null;
        PlannedValue a, b;
        PlannedValue? input = null;
        switch (op.Name)
        {
            case "aten::mm" or "aten::bmm":
                a = (PlannedValue)args["self"]!;
                b = (PlannedValue)args["mat2"]!;
                break;
            case "aten::addmm":
                input = (PlannedValue)args["self"]!;
                a = (PlannedValue)args["mat1"]!;
                b = (PlannedValue)args["mat2"]!;
                break;
            default:
                return null;
        }
        if (a.DType != meta.DType || b.DType != meta.DType) return null;
        bool batched = op.Name == "aten::bmm";
        var outShape = shapes.Evaluate(meta.Shape);
        long batch = batched ? outShape[0] : 1, m = outShape[^2], n = outShape[^1], k = a.Shape[^1];
        // An outer product (k = 1: a rotary embedding's frequencies times positions) is one multiply per element: a
        // body its consumers inline (the cos and sin after it), not a library call and a stored result.
        if (k == 1 && input is null && !matmulActivations.ContainsKey(node))
        {
            var kind = ValueKinds.Of(meta.DType);
            var zero = IndexExpr.Constant(0);
            return Inline(node, meta.DType, outShape, cc => Exprs.Binary(BinaryOp.Mul,
                Exprs.Cast(a.Read(batched ? [cc[0], cc[1], zero] : [cc[0], zero]), kind),
                Exprs.Cast(b.Read(batched ? [cc[0], zero, cc[2]] : [zero, cc[1]]), kind), kind), op.Name, a, b);
        }
        double alpha = Convert.ToDouble(args.GetValueOrDefault("alpha") ?? 1L), beta = Convert.ToDouble(args.GetValueOrDefault("beta") ?? 1L);
        if (!batched && options.FuseProjections && alpha == 1 && beta == 1 && TryLowerSharedInputProjections(node, op, a) is { } projection) return projection;
        return PlanLibraryMatmul(node, op.Name, node.Name, a, b, input, alpha, beta, outShape, meta.DType);
    }

    /// <summary>A cuBLASLt product D = alpha·A·B (+ bias, or + beta·C) into a new buffer named <paramref name="name"/>.</summary>
    private PlannedValue PlanLibraryMatmul(Node node, string opName, string name, PlannedValue a, PlannedValue b, PlannedValue? input, double alpha, double beta, long[] outShape, DType dtype)
    {
        bool batched = opName == "aten::bmm";
        long batch = batched ? outShape[0] : 1, m = outShape[^2], n = outShape[^1], k = a.Shape[^1];
        var left = Matrix(a, batched);
        var right = Matrix(b, batched);
        var output = NewBuffer(name, dtype, outShape.Aggregate(1L, (x, y) => x * y), BufferKind.Intermediate);
        var d = new MatrixOperand(output, 0, m, n, n, 1, m * n);
        BiasOperand? bias = null;
        MatrixOperand? c = null;
        if (input is not null)
        {
            bool vector = input.Shape.Length == 1 || (input.Shape.Length == 2 && input.Shape[0] == 1);
            if (vector && beta == 1 && input.Shape[^1] == n)
            {
                var view = Materialize(input);
                if (view.Strides[^1] != 1) view = MaterializeContiguous(input);
                bias = new BiasOperand(view.Buffer, view.Offset, 1);
            }
            else
            {
                // A full (or oddly broadcast) addend goes in as C, scaled by beta.
                var full = new PlannedValue(input.Name, input.DType, [m, n]) { Body = cc => Broadcast(input, [m, n])(cc) };
                var view = MaterializeContiguous(full);
                c = new MatrixOperand(view.Buffer, view.Offset, m, n, n, 1, 0);
            }
        }
        var activation = matmulActivations.GetValueOrDefault(node);
        var problem = new MatmulProblem(batch, m, n, k, left, right, d, bias, activation, alpha, c is null ? 0 : beta, c);
        var epilogue = (bias is null ? "" : " + bias") + (activation == MatmulActivation.None ? "" : $", {activation.ToString().ToLowerInvariant()}");
        steps.Add(new MatmulStep(ShortOpName(opName) + (activation == MatmulActivation.None ? "" : "_" + activation.ToString().ToLowerInvariant()),
            $"{name} = {ShortOpName(opName)} [{m}x{k}] @ [{k}x{n}]{(batched ? $" x{batch}" : "")}{epilogue}", problem));
        var result = new PlannedValue(name, dtype, outShape) { Stored = StridedView.Contiguous(output, outShape) };
        result.Provenance.Add(opName);
        return result;
    }

    /// <summary>A (batched) matrix operand; copied to contiguous memory when neither dim has unit stride.</summary>
    private MatrixOperand Matrix(PlannedValue value, bool batched)
    {
        var view = Materialize(value);
        if (MatrixOf(view, batched) is { } operand) return operand;
        return MatrixOf(MaterializeContiguous(value), batched)!;
    }

    internal static MatrixOperand? MatrixOf(StridedView view, bool batched)
    {
        int r = view.Shape.Count;
        long rows = view.Shape[r - 2], cols = view.Shape[r - 1];
        long rowStride = view.Strides[r - 2], colStride = view.Strides[r - 1];
        if (cols == 1) colStride = 1;
        if (rows == 1) rowStride = colStride == 1 ? Math.Max(cols, 1) : 1;
        long batchStride = batched ? view.Strides[0] : 0;
        if (batched && view.Shape[0] == 1) batchStride = 0;
        bool rowMajor = colStride == 1 && rowStride >= Math.Max(cols, 1);
        bool colMajor = rowStride == 1 && colStride >= Math.Max(rows, 1);
        if (!rowMajor && !colMajor) return null;
        return new MatrixOperand(view.Buffer, view.Offset, rows, cols, rowStride, colStride, batchStride);
    }
}
