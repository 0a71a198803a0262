using Graphport.Graphs;
using Graphport.Kernels.Codegen;
using Graphport.Operators;

namespace Graphport.Kernels.Planning;

// 2-D convolution: a GEMM through cuBLASLt (im2col as a generated gather, skipped for 1x1) when groups = 1, and a
// generated direct reduction otherwise (depthwise, grouped, transposed), whose epilogue takes bias, batch norm, ReLU.
public sealed partial class FusionPlanner
{
    private PlannedValue? TryLowerConvolution(Node node, OpOverload op, Dictionary<string, object?> args)
    {
        if (op.Name != "aten::convolution" || node.Value is not TensorMeta meta) return null;
        if (args["input"] is not PlannedValue input || args["weight"] is not PlannedValue weight || input.Shape.Length != 4 || weight.Shape.Length != 4) return null;
        var bias = args.GetValueOrDefault("bias") as PlannedValue;
        var stride = Pair(args["stride"], 1);
        var padding = Pair(args["padding"], 0);
        var dilation = Pair(args["dilation"], 1);
        bool transposed = args["transposed"] is true;
        long groups = Convert.ToInt64(args["groups"]);
        var outShape = shapes.Evaluate(meta.Shape);
        long n = input.Shape[0], cin = input.Shape[1], h = input.Shape[2], w = input.Shape[3];
        long cout = outShape[1], oh = outShape[2], ow = outShape[3];
        long kh = weight.Shape[2], kw = weight.Shape[3];
        long cinPerGroup = cin / groups, coutPerGroup = cout / groups;
        var kind = AccumulatorKind(input.DType, meta.DType);

        bool gemm = options.Convolutions == ConvolutionStrategy.Auto && !transposed && groups == 1 && ValueKinds.Of(meta.DType) == ValueKind.Float;
        if (gemm) return ConvolutionAsGemm(node, input, weight, bias, meta.DType, outShape, stride, padding, dilation);

        var label = groups == cin && groups == cout && !transposed ? "depthwise_conv" : transposed ? "conv_transpose" : "conv";
        return BuildReduction(node, label, ReductionOp.Sum, kind, meta.DType, outShape, outShape, [cinPerGroup, kh, kw],
            (o, r) =>
            {
                var group = o[1].Div(coutPerGroup);
                var ci = group * cinPerGroup + r[0];
                if (!transposed)
                {
                    var ih = o[2] * stride[0] + r[1] * dilation[0] - IndexExpr.Constant(padding[0]);
                    var iw = o[3] * stride[1] + r[2] * dilation[1] - IndexExpr.Constant(padding[1]);
                    var x = Exprs.Select(Exprs.And(Exprs.InRange(ih, 0, h), Exprs.InRange(iw, 0, w)), input.Read([o[0], ci, ih, iw]), Exprs.Const(0, kind));
                    return Exprs.Binary(BinaryOp.Mul, x, weight.Read([o[1], r[0], r[1], r[2]]), kind);
                }
                // Transposed: output pixel oh receives input ih where ih·stride - pad + kh·dilation = oh.
                var th = o[2] + IndexExpr.Constant(padding[0]) - r[1] * dilation[0];
                var tw = o[3] + IndexExpr.Constant(padding[1]) - r[2] * dilation[1];
                var valid = Exprs.And(Exprs.And(Exprs.InRange(th, 0, h * stride[0]), Exprs.InRange(tw, 0, w * stride[1])),
                                      Exprs.And(Exprs.InRange(th.Mod(stride[0]), 0, 1), Exprs.InRange(tw.Mod(stride[1]), 0, 1)));
                var xt = Exprs.Select(valid, input.Read([o[0], ci, th.Div(stride[0]), tw.Div(stride[1])]), Exprs.Const(0, kind));
                return Exprs.Binary(BinaryOp.Mul, xt, weight.Read([ci, o[1].Mod(coutPerGroup), r[1], r[2]]), kind);
            },
            (o, acc) => bias is null ? acc : Exprs.Binary(BinaryOp.Add, acc, bias.Read([o[1]]), kind),
            o => o, input);
    }

    private PlannedValue ConvolutionAsGemm(Node node, PlannedValue input, PlannedValue weight, PlannedValue? bias, DType dtype, long[] outShape,
        long[] stride, long[] padding, long[] dilation)
    {
        long n = input.Shape[0], cin = input.Shape[1], h = input.Shape[2], w = input.Shape[3];
        long cout = outShape[1], oh = outShape[2], ow = outShape[3];
        long kh = weight.Shape[2], kw = weight.Shape[3];
        long k = cin * kh * kw, p = oh * ow;
        var weightView = weight.Stored is { IsContiguous: true } packed ? packed : MaterializeContiguous(weight);
        bool pointwise = kh == 1 && kw == 1 && stride is [1, 1] && padding is [0, 0];
        MatrixOperand columns;
        if (pointwise && Materialize(input) is var view && view.Strides[3] == 1 && view.Strides[2] == w && view.Strides[1] == h * w)
        {
            // A 1x1 convolution reads each image as a Cin x HW matrix: no copy at all.
            columns = new MatrixOperand(view.Buffer, view.Offset, k, p, p, 1, view.Strides[0]);
        }
        else
        {
            var scratch = NewBuffer($"{node.Name}_im2col", dtype, n * k * p, BufferKind.Scratch);
            var space = new IterationSpace("i", "x", [n, k, p]);
            var c = space.Coordinates;
            var ci = c[1].Div(kh * kw);
            var ky = c[1].Div(kw).Mod(kh);
            var kx = c[1].Mod(kw);
            var y = c[2].Div(ow);
            var x = c[2].Mod(ow);
            var ih = y * stride[0] + ky * dilation[0] - IndexExpr.Constant(padding[0]);
            var iw = x * stride[1] + kx * dilation[1] - IndexExpr.Constant(padding[1]);
            var kind = ValueKinds.Of(dtype);
            var value = Exprs.Select(Exprs.And(Exprs.InRange(ih, 0, h), Exprs.InRange(iw, 0, w)), Exprs.Cast(input.Read([c[0], ci, ih, iw]), kind), Exprs.Const(0, kind));
            var im2col = new PlannedValue(scratch.Name, dtype, [n, k, p]);
            if (!input.IsStored) im2col.Provenance.AddRange(input.Provenance);
            im2col.Provenance.Add("im2col");
            steps.Add(new PointwiseKernel(Hint(im2col), $"{scratch.Name} = im2col({input.Name}) {kh}x{kw}/{stride[0]} [{n}, {k}, {p}]", space,
                [Tighten(space, new Store(scratch, IndexExpr.Linearize(c, space.ContiguousStrides), value))]));
            columns = new MatrixOperand(scratch, 0, k, p, p, 1, k * p);
        }
        var output = NewBuffer(node.Name, dtype, n * cout * p, BufferKind.Intermediate);
        var problem = new MatmulProblem(n, cout, p, k,
            new MatrixOperand(weightView.Buffer, weightView.Offset, cout, k, k, 1, 0),
            columns,
            new MatrixOperand(output, 0, cout, p, p, 1, cout * p),
            null, MatmulActivation.None);
        steps.Add(new MatmulStep("conv_gemm", $"{node.Name} = conv {kh}x{kw}/{stride[0]} as GEMM [{cout}x{k}] @ [{k}x{p}] x{n}", problem));
        var stored = new PlannedValue(node.Name, dtype, outShape) { Stored = StridedView.Contiguous(output, outShape) };
        if (bias is null) return stored;
        var withBias = Inline(node, dtype, outShape, c => Exprs.Binary(BinaryOp.Add, stored.Read(c), bias.Read([c[1]]), ValueKinds.Of(dtype)), "conv_bias", stored);
        return withBias;
    }

    private static long[] Pair(object? value, long fallback)
    {
        var l = Longs(value);
        return l.Length == 0 ? [fallback, fallback] : l.Length == 1 ? [l[0], l[0]] : [l[0], l[1]];
    }
}
