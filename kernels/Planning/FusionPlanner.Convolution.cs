using Graphport.Graphs;
using Graphport.Kernels.Codegen;
using Graphport.Operators;

namespace Graphport.Kernels.Planning;

// 2-D convolution: a GEMM through cuBLASLt (im2col as a generated gather, skipped for 1x1) when groups = 1, and a
// generated direct reduction otherwise (depthwise, grouped, transposed), whose epilogue takes bias, batch norm, ReLU.
// A 1-D convolution (an STFT as a convolution, an audio encoder) runs as the 2-D one of unit height over views of the
// same buffers: [N, C, L] as [N, C, 1, L], its weight [O, C, K] as [O, C, 1, K].
public sealed partial class FusionPlanner
{
    private PlannedValue? TryLowerConvolution(Node node, OpOverload op, Dictionary<string, object?> args)
    {
        if (op.Name != "aten::convolution" || node.Value is not TensorMeta meta) return null;
        if (args["input"] is not PlannedValue input || args["weight"] is not PlannedValue weight) return null;
        var bias = args.GetValueOrDefault("bias") as PlannedValue;
        var outShape = shapes.Evaluate(meta.Shape);
        StoreIfWindowReadsGrow(input);
        if (input.Shape.Length == 3 && weight.Shape.Length == 3 && outShape.Length == 3)
        {
            long[] Planar(object? value, long height, long fallback) => [height, Longs(value) is [var only, ..] ? only : fallback];
            return LowerPlanarConvolution(node, meta, WithUnitHeight(input), WithUnitHeight(weight), bias,
                Planar(args["stride"], 1, 1), Planar(args["padding"], 0, 0), Planar(args["dilation"], 1, 1),
                args["transposed"] is true, Convert.ToInt64(args["groups"]), [outShape[0], outShape[1], 1, outShape[2]],
                planar => WithoutUnitHeight(planar, node.Name));
        }
        if (input.Shape.Length != 4 || weight.Shape.Length != 4) return null;
        return LowerPlanarConvolution(node, meta, input, weight, bias, Pair(args["stride"], 1), Pair(args["padding"], 0), Pair(args["dilation"], 1),
            args["transposed"] is true, Convert.ToInt64(args["groups"]), outShape);
    }

    // [N, C, L] as [N, C, 1, L]: a stride over the same buffer when it is stored, a coordinate map otherwise.
    private static PlannedValue WithUnitHeight(PlannedValue value)
    {
        long[] shape = [value.Shape[0], value.Shape[1], 1, value.Shape[2]];
        if (value.Stored is { } stored)
            return new PlannedValue(value.Name, value.DType, shape)
            {
                Stored = stored with { Shape = shape, Strides = [stored.Strides[0], stored.Strides[1], stored.Strides[2] * value.Shape[2], stored.Strides[2]] },
            };
        return new PlannedValue(value.Name, value.DType, shape) { Body = c => value.Read([c[0], c[1], c[3]]) };
    }

    // The 2-D result [N, O, 1, L] read as the 1-D convolution's [N, O, L].
    private static PlannedValue WithoutUnitHeight(PlannedValue value, string name)
    {
        long[] shape = [value.Shape[0], value.Shape[1], value.Shape[3]];
        var result = value.Stored is { } stored
            ? new PlannedValue(name, value.DType, shape) { Stored = stored with { Shape = shape, Strides = [stored.Strides[0], stored.Strides[1], stored.Strides[3]] } }
            : new PlannedValue(name, value.DType, shape) { Body = c => value.Read([c[0], c[1], IndexExpr.Constant(0), c[2]]) };
        result.Provenance.AddRange(value.Provenance);
        return result;
    }

    /// <param name="presented">How the program sees the 2-D result (a 1-D convolution's [N, O, L]): what the
    /// convolution's users, and those of a batch norm folded into it, read.</param>
    private PlannedValue LowerPlanarConvolution(Node node, TensorMeta meta, PlannedValue input, PlannedValue weight, PlannedValue? bias,
        long[] stride, long[] padding, long[] dilation, bool transposed, long groups, long[] outShape, Func<PlannedValue, PlannedValue>? presented = null)
    {
        long n = input.Shape[0], cin = input.Shape[1], h = input.Shape[2], w = input.Shape[3];
        long cout = outShape[1], oh = outShape[2], ow = outShape[3];
        long kh = weight.Shape[2], kw = weight.Shape[3];
        long cinPerGroup = cin / groups, coutPerGroup = cout / groups;
        var kind = AccumulatorKind(input.DType, meta.DType);
        var norm = options.FoldBatchNorms && !transposed ? FoldableBatchNorm(node, weight, bias) : null;
        if (norm is { } fold)
        {
            // A 1-D convolution's folded weight comes back as [O, C, K].
            (weight, bias) = (fold.Weight.Shape.Length == 3 ? WithUnitHeight(fold.Weight) : fold.Weight, fold.Bias);
            // The convolution's value is now the norm's, read by the norm's users.
            effectiveUsers[node] = FirstItemUsers(fold.Norm);
        }
        var lowered = Lowered();
        var result = presented is null ? lowered : presented(lowered);
        if (norm is { } folded) foldedNorms[folded.Norm] = new object?[] { result, null, null };
        return result;

        PlannedValue Lowered()
        {
            bool direct = options.DirectSmallChannelConvolutions && options.Convolutions == ConvolutionStrategy.Auto && !transposed && groups == 1
                && meta.DType == DType.Float32 && DirectConvolutionFits(cout, n, oh * ow)
                && (options.DirectConvolutionNodes is null || options.DirectConvolutionNodes.Contains(node.Name));
            if (direct)
            {
                var relu = OnlyReluAfter(node, norm?.Norm);
                if (relu is not null) absorbed.Add(relu);
                return DirectConvolution(node, input, weight, bias, meta.DType, outShape, stride, padding, dilation, relu is not null);
            }
            bool gemm = options.Convolutions == ConvolutionStrategy.Auto && !transposed && groups == 1 && ValueKinds.Of(meta.DType) == ValueKind.Float;
            if (gemm) return ConvolutionAsGemm(node, input, weight, bias, meta.DType, outShape, stride, padding, dilation);
            bool transposedGemm = options.Convolutions == ConvolutionStrategy.Auto && transposed && groups == 1 && ValueKinds.Of(meta.DType) == ValueKind.Float;
            if (transposedGemm) return TransposedConvolutionAsGemm(node, input, weight, bias, meta.DType, kind, outShape, stride, padding, dilation);

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
    }

    // The ReLU that is the only consumer of the convolution's value (of the batch norm folded into it, through its
    // getitem), so a direct kernel can apply it as it stores and the ReLU node reads that result as its own.
    private Node? OnlyReluAfter(Node conv, Node? foldedNorm)
    {
        var value = conv;
        if (foldedNorm is not null)
        {
            if (foldedNorm.Users.Count != 1 || foldedNorm.Users[0] is not { Target: BuiltinTarget getitem } item || getitem != BuiltinTarget.GetItem || Convert.ToInt64(item.Args[1]) != 0) return null;
            value = item;
        }
        if (value.Users.Count != 1 || value.Users[0] is not { Op.Name: "aten::relu" } relu || !ReferenceEquals(relu.Args[0], value)) return null;
        return options.ForceHost.Contains("aten::relu") ? null : relu;
    }

    // A convolution whose only user is an inference batch norm over constant weights and statistics: the norm folds
    // into the convolution (weight·s and (bias − mean)·s + beta per output channel, s = gamma / √(var + eps),
    // computed once here in float64), so no kernel normalizes per element and the next layer's input prologue is a
    // bias and an activation instead of four loads and a square root per tap.
    private (Node Norm, PlannedValue Weight, PlannedValue Bias)? FoldableBatchNorm(Node conv, PlannedValue weight, PlannedValue? bias)
    {
        if (conv.Users.Count != 1 || conv.Users[0] is not { Op.Name: "aten::_native_batch_norm_legit_no_training" } norm || !ReferenceEquals(norm.Args[0], conv)) return null;
        if (options.ForceHost.Contains(norm.Op!.Name) || !OnlyFirstItemUsed(norm) || weight.DType is not (DType.Float32 or DType.Float64)) return null;
        var args = Bind(norm, norm.Op!, skip: "input");
        Tensor? Constant(object? value) => value is PlannedValue planned ? WeightTensor(planned) : null;
        var w = Constant(weight);
        var mean = Constant(args["running_mean"]);
        var variance = Constant(args["running_var"]);
        var gamma = Constant(args["weight"]);
        var beta = Constant(args["bias"]);
        var b = Constant(bias);
        if (w is null || mean is null || variance is null || (args["weight"] is not null && gamma is null) || (args["bias"] is not null && beta is null) || (bias is not null && b is null))
            return null;
        var (foldedWeight, foldedBias) = BatchNormFolding.Fold(w, b, mean, variance, gamma, beta, Convert.ToDouble(args["eps"]));
        return (norm, WeightValue($"{conv.Name}_folded_weight", foldedWeight), WeightValue($"{conv.Name}_folded_bias", foldedBias));
    }

    // A tensor the plan computed from constants, stored like a parameter (uploaded with the weights).
    private PlannedValue WeightValue(string name, Tensor value)
    {
        var shape = value.Shape.ToLongs();
        var buffer = NewBuffer(name, value.DType, shape.Aggregate(1L, (a, b) => a * b), BufferKind.Weight);
        weights.Add((buffer, value));
        return new PlannedValue(name, value.DType, shape) { Stored = StridedView.Contiguous(buffer, shape) };
    }

    // The input value a kernel tap (ky, kx) reads for output pixel (oy, ox) of image n, channel ci: zero in the padding.
    private static Expr TapInput(PlannedValue input, IndexExpr n, IndexExpr ci, IndexExpr oy, IndexExpr ox, IndexExpr ky, IndexExpr kx,
        long[] stride, long[] padding, long[] dilation, ValueKind kind)
    {
        var ih = oy * stride[0] + ky * dilation[0] - IndexExpr.Constant(padding[0]);
        var iw = ox * stride[1] + kx * dilation[1] - IndexExpr.Constant(padding[1]);
        var inside = Exprs.And(Exprs.InRange(ih, 0, input.Shape[2]), Exprs.InRange(iw, 0, input.Shape[3]));
        return Exprs.Select(inside, Exprs.Cast(input.Read([n, ci, ih, iw]), kind), Exprs.Const(0, kind));
    }

    /// <summary>Convolutions whose output images have fewer pixels than this fold the batch into one GEMM.</summary>
    internal const long FoldBelowPixels = 1024;

    // Few output channels (their sums stay in registers) over enough pixels to fill a GPU: images of 1024 pixels or
    // more, or small images at a batch that adds up to 8192.
    private static bool DirectConvolutionFits(long cout, long batch, long imagePixels) =>
        cout <= PlannerOptions.DirectConvolutionMaxChannels && (imagePixels >= FoldBelowPixels || batch * imagePixels >= 8 * FoldBelowPixels);

    private PlannedValue ConvolutionAsGemm(Node node, PlannedValue input, PlannedValue weight, PlannedValue? bias, DType dtype, long[] outShape,
        long[] stride, long[] padding, long[] dilation)
    {
        long n = input.Shape[0], cin = input.Shape[1], h = input.Shape[2], w = input.Shape[3];
        long cout = outShape[1], oh = outShape[2], ow = outShape[3];
        long kh = weight.Shape[2], kw = weight.Shape[3];
        long k = cin * kh * kw, p = oh * ow;
        var weightView = weight.Stored is { IsContiguous: true } packed ? packed : MaterializeContiguous(weight);
        // Small images fold the batch into the product's N: one Cout x K times K x (N·HW) GEMM instead of N products
        // with a handful of columns each, which cuBLASLt runs at a fraction of its speed (a ResNet's 2x2 stage at
        // batch 32: 32 products of 4 columns). im2col then writes K x (N·HW), and the result is Cout x (N·HW),
        // which the convolution's consumers read through strides as N x Cout x H x W.
        bool fold = n > 1 && p < FoldBelowPixels;
        bool pointwise = kh == 1 && kw == 1 && stride is [1, 1] && padding is [0, 0];
        MatrixOperand columns;
        if (!fold && pointwise && Materialize(input) is var view && view.Strides[3] == 1 && view.Strides[2] == w && view.Strides[1] == h * w)
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
            var value = TapInput(input, c[0], ci, y, x, ky, kx, stride, padding, dilation, ValueKinds.Of(dtype));
            var im2col = new PlannedValue(scratch.Name, dtype, [n, k, p]);
            if (!input.IsStored) im2col.Provenance.AddRange(input.Provenance);
            im2col.Provenance.Add("im2col");
            // Batch-major [n, k, p], or folded [k, n, p].
            long[] strides = fold ? [p, n * p, 1] : [k * p, p, 1];
            steps.Add(new PointwiseKernel(Hint(im2col), $"{scratch.Name} = im2col({input.Name}) {kh}x{kw}/{stride[0]} [{n}, {k}, {p}]{(fold ? " as [k, n*p]" : "")}", space,
                [Tighten(space, new Store(scratch, IndexExpr.Linearize(c, strides), value))]));
            columns = fold ? new MatrixOperand(scratch, 0, k, n * p, n * p, 1, 0) : new MatrixOperand(scratch, 0, k, p, p, 1, k * p);
        }
        var output = NewBuffer(node.Name, dtype, n * cout * p, BufferKind.Intermediate);
        var problem = fold
            ? new MatmulProblem(1, cout, n * p, k,
                new MatrixOperand(weightView.Buffer, weightView.Offset, cout, k, k, 1, 0),
                columns,
                new MatrixOperand(output, 0, cout, n * p, n * p, 1, 0),
                null, MatmulActivation.None, Convolution: true)
            : new MatmulProblem(n, cout, p, k,
                new MatrixOperand(weightView.Buffer, weightView.Offset, cout, k, k, 1, 0),
                columns,
                new MatrixOperand(output, 0, cout, p, p, 1, cout * p),
                null, MatmulActivation.None, Convolution: true);
        steps.Add(new MatmulStep("conv_gemm", fold
            ? $"{node.Name} = conv {kh}x{kw}/{stride[0]} as GEMM [{cout}x{k}] @ [{k}x{n * p}] (batch folded)"
            : $"{node.Name} = conv {kh}x{kw}/{stride[0]} as GEMM [{cout}x{k}] @ [{k}x{p}] x{n}", problem));
        var stored = new PlannedValue(node.Name, dtype, outShape)
        {
            Stored = fold ? new StridedView(output, 0, outShape, [p, n * p, ow, 1]) : StridedView.Contiguous(output, outShape),
        };
        if (bias is null) return stored;
        var withBias = Inline(node, dtype, outShape, c => Exprs.Binary(BinaryOp.Add, stored.Read(c), bias.Read([c[1]]), ValueKinds.Of(dtype)), "conv_bias", stored);
        return withBias;
    }

    // Few output channels over a big image: one kernel that reads the input about once (DirectConvKernel).
    private PlannedValue DirectConvolution(Node node, PlannedValue input, PlannedValue weight, PlannedValue? bias, DType dtype, long[] outShape,
        long[] stride, long[] padding, long[] dilation, bool relu)
    {
        long n = input.Shape[0], cin = input.Shape[1];
        long cout = outShape[1], oh = outShape[2], ow = outShape[3];
        long kh = weight.Shape[2], kw = weight.Shape[3];
        var weightView = weight.Stored is { IsContiguous: true } packed ? packed : MaterializeContiguous(weight);
        var biasView = bias is null ? null : bias.Stored is { IsContiguous: true } b ? b : MaterializeContiguous(bias);
        var pixels = new IterationSpace("p", "q", [n, oh, ow]);
        var taps = new IterationSpace("t", "u", [cin, kh, kw]);
        var q = pixels.Coordinates;
        var u = taps.Coordinates;
        var value = TapInput(input, q[0], u[0], q[1], q[2], u[1], u[2], stride, padding, dilation, ValueKinds.Of(dtype));
        var output = NewBuffer(node.Name, dtype, n * cout * oh * ow, BufferKind.Intermediate);
        var result = new PlannedValue(node.Name, dtype, outShape) { Stored = StridedView.Contiguous(output, outShape) };
        if (!input.IsStored) result.Provenance.AddRange(input.Provenance);
        result.Provenance.Add("direct_conv");
        if (relu) result.Provenance.Add("aten::relu");
        steps.Add(new DirectConvKernel(Hint(result), $"{node.Name} = direct conv {kh}x{kw}/{stride[0]}: {cout} channels x {n * oh * ow} pixels, {cin * kh * kw} taps",
            pixels, taps, value, weightView.Buffer, weightView.Offset, cout, biasView?.Buffer, biasView?.Offset ?? 0, output)
        {
            Relu = relu,
            Wide = options.WideDirectConvolutionNodes?.Contains(node.Name) == true,
        });
        return result;
    }

    // A transposed convolution as one GEMM and a gather: every input pixel's contribution to each (output channel,
    // tap) is columns[n] = Wᵀ · x[n] ((Cout·kh·kw) x Cin times Cin x HW, cuBLASLt), then each output pixel sums the
    // taps that land on it (col2im; exactly one tap when stride = kernel, as in a U-Net's upsampling), bias added.
    // The direct reduction this replaces re-read the weights and recomputed the input's prologue for every tap.
    private PlannedValue TransposedConvolutionAsGemm(Node node, PlannedValue input, PlannedValue weight, PlannedValue? bias, DType dtype, ValueKind kind,
        long[] outShape, long[] stride, long[] padding, long[] dilation)
    {
        long n = input.Shape[0], cin = input.Shape[1], h = input.Shape[2], w = input.Shape[3];
        long cout = outShape[1];
        long kh = weight.Shape[2], kw = weight.Shape[3];
        long taps = cout * kh * kw, p = h * w;
        var weightView = weight.Stored is { IsContiguous: true } packed ? packed : MaterializeContiguous(weight);
        var x = Materialize(input);
        if (!(x.Strides[3] == 1 && x.Strides[2] == w && x.Strides[1] == h * w)) x = MaterializeContiguous(input);
        var columns = NewBuffer($"{node.Name}_columns", dtype, n * taps * p, BufferKind.Scratch);
        // The weight is Cin x (Cout·kh·kw) row-major; the product reads it transposed.
        var problem = new MatmulProblem(n, taps, p, cin,
            new MatrixOperand(weightView.Buffer, weightView.Offset, taps, cin, 1, taps, 0),
            new MatrixOperand(x.Buffer, x.Offset, cin, p, p, 1, x.Strides[0]),
            new MatrixOperand(columns, 0, taps, p, p, 1, taps * p),
            null, MatmulActivation.None, Convolution: true);
        steps.Add(new MatmulStep("conv_transpose_gemm", $"{node.Name}_columns = conv_transpose {kh}x{kw}/{stride[0]} as GEMM [{taps}x{cin}] @ [{cin}x{p}] x{n}", problem));
        long[] columnShape = [n, cout, kh, kw, h, w];
        var cols = new PlannedValue($"{node.Name}_columns", dtype, columnShape) { Stored = StridedView.Contiguous(columns, columnShape) };
        return BuildReduction(node, "conv_transpose_col2im", ReductionOp.Sum, kind, dtype, outShape, outShape, [kh, kw],
            (o, r) =>
            {
                // Output pixel oy receives input iy where iy·stride - pad + ky·dilation = oy.
                var th = o[2] + IndexExpr.Constant(padding[0]) - r[0] * dilation[0];
                var tw = o[3] + IndexExpr.Constant(padding[1]) - r[1] * dilation[1];
                var valid = Exprs.And(Exprs.And(Exprs.InRange(th, 0, h * stride[0]), Exprs.InRange(tw, 0, w * stride[1])),
                                      Exprs.And(Exprs.InRange(th.Mod(stride[0]), 0, 1), Exprs.InRange(tw.Mod(stride[1]), 0, 1)));
                return Exprs.Select(valid, Exprs.Cast(cols.Read([o[0], o[1], r[0], r[1], th.Div(stride[0]), tw.Div(stride[1])]), kind), Exprs.Const(0, kind));
            },
            (o, acc) => bias is null ? acc : Exprs.Binary(BinaryOp.Add, acc, bias.Read([o[1]]), kind),
            o => o, cols);
    }

    private static long[] Pair(object? value, long fallback)
    {
        var l = Longs(value);
        return l.Length == 0 ? [fallback, fallback] : l.Length == 1 ? [l[0], l[0]] : [l[0], l[1]];
    }
}
