using Graphport.Operators;

namespace Graphport;

/// <summary>NN ops: functional batch norm → mean/var/rsqrt arithmetic, replication_pad1d → the 2-D op, one_hot → eq with arange,
/// _int_mm → an int32 mm, _grouped_mm → a bmm over every group and a gather of each row's own.</summary>
internal static partial class BuiltinDecompositions
{
    private static void RegisterNN()
    {
        Register("aten::_native_batch_norm_legit_functional", BatchNormFunctional);
        Register("aten::replication_pad1d", a =>
        {
            var pad = Aten.Ss(a[1]);
            var widened = Aten.Call(Aten.Unsqueeze, a[0], -2L);
            var padded = Aten.Call(Aten.ReplicationPad2d, widened, new SymInt[] { pad[0], pad[1], 0, 0 });
            return Aten.Call(Aten.SqueezeDim, padded, -2L);
        });
        // The int8 product as an int32 one (Core ATen's mm takes integers): the same exact sums, without VNNI.
        Register("aten::_int_mm", a => Aten.Call(Aten.Mm,
            Aten.CallKw(Aten.ToCopy, [a[0]], ("dtype", DType.Int32)),
            Aten.CallKw(Aten.ToCopy, [a[1]], ("dtype", DType.Int32))));
        Register("aten::_grouped_mm", Aten.GroupedMmDecomposition);
        Register("aten::one_hot", a =>
        {
            var x = T(a[0]);
            // num_classes = -1 reads the data (max + 1): a data-dependent size, fine eagerly, unbacked when traced.
            SymInt classes = Aten.L(a[1]) >= 0
                ? Aten.L(a[1])
                : Aten.S(Aten.LocalScalarDense.Call(Aten.Call(Aten.Add, Aten.Call(Aten.Amax, x, Array.Empty<long>()), 1L)));
            var range = Aten.Call(Aten.ArangeStartStep, 0L, classes, 1L);
            var hot = Aten.Call(Aten.EqTensor, Aten.Call(Aten.Unsqueeze, x, -1L), range);
            return Aten.CallKw(Aten.ToCopy, [hot], ("dtype", DType.Int64));
        });
    }

    /// <summary>
    /// Training batch norm with batch statistics (biased variance normalizes, unbiased variance feeds the running
    /// estimate), statistics computed in float32 for half-precision inputs; eval normalizes with the running statistics.
    /// </summary>
    private static object? BatchNormFunctional(object?[] a)
    {
        Tensor input = T(a[0]), runningMean = T(a[3]), runningVar = T(a[4]);
        bool training = Aten.B(a[5]);
        double momentum = Aten.D(a[6]), eps = Aten.D(a[7]);
        var stat = NormalizationKernels.StatDType(input.DType);
        if (!training)
        {
            var output = Aten.CallMulti(Aten.BatchNormNoTraining, input, a[1], a[2], runningMean, runningVar, momentum, eps)[0];
            var empty = Aten.CallKw(Aten.EmptyMemoryFormat, [new SymInt[] { 0 }], ("dtype", stat));
            return new[] { output, empty, Aten.Call(Aten.Clone, empty), Aten.Call(Aten.Clone, runningMean), Aten.Call(Aten.Clone, runningVar) };
        }
        var x = input.DType == stat ? input : Aten.CallKw(Aten.ToCopy, [input], ("dtype", stat));
        var dims = Enumerable.Range(0, input.Ndim).Where(d => d != 1).Select(d => (long)d).ToArray();
        var mean = Aten.Call(Aten.MeanDim, x, dims);
        var variance = Aten.CallKw(Aten.VarCorrection, [x, dims], ("correction", 0L));
        var rstd = Aten.Call(Aten.Rsqrt, Aten.Call(Aten.Add, variance, eps));
        var shape = Enumerable.Range(0, input.Ndim).Select(d => d == 1 ? input.Shape[1] : new SymInt(1)).ToArray();
        var normalized = Aten.Call(Aten.Mul, Aten.Call(Aten.Sub, x, Aten.Call(Aten.View, mean, shape)), Aten.Call(Aten.View, rstd, shape));
        if (a[1] is Tensor w) normalized = Aten.Call(Aten.Mul, normalized, Aten.Call(Aten.View, w, shape));
        if (a[2] is Tensor b) normalized = Aten.Call(Aten.Add, normalized, Aten.Call(Aten.View, b, shape));
        if (normalized.DType != input.DType) normalized = Aten.CallKw(Aten.ToCopy, [normalized], ("dtype", input.DType));
        SymInt count = ShapeRules.Product(input.Shape.Where((_, d) => d != 1));
        var unbiased = Aten.Call(Aten.Div, Aten.Call(Aten.Mul, variance, count), count - 1);
        var newMean = Aten.Call(Aten.Add, Aten.Call(Aten.Mul, runningMean, 1 - momentum), Aten.Call(Aten.Mul, mean, momentum));
        var newVar = Aten.Call(Aten.Add, Aten.Call(Aten.Mul, runningVar, 1 - momentum), Aten.Call(Aten.Mul, unbiased, momentum));
        if (newMean.DType != runningMean.DType) newMean = Aten.CallKw(Aten.ToCopy, [newMean], ("dtype", runningMean.DType));
        if (newVar.DType != runningVar.DType) newVar = Aten.CallKw(Aten.ToCopy, [newVar], ("dtype", runningVar.DType));
        return new[] { normalized, mean, rstd, newMean, newVar };
    }
}
