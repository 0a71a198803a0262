using Graphport.Operators;
using Graphport.Shapes;

namespace Graphport;

/// <summary>
/// one_hot: an op of its own (not core), recorded in graphs and decomposed to eq(unsqueeze(x, -1), arange(n)).
/// With num_classes = -1 the class count is max(x) + 1, a data-dependent size (an unbacked symbol while tracing).
/// </summary>
internal static partial class Aten
{
    public static readonly OpOverload OneHot = Def("one_hot(Tensor self, int num_classes=-1) -> Tensor", meta: a =>
    {
        var self = T0(a);
        if (self.DType != DType.Int64) throw new ArgumentException("one_hot is only applicable to index tensor of type LongTensor.");
        long classes = L(a[1]);
        if (classes < -1) throw new ArgumentException("num_classes should be positive");
        SymInt count = classes >= 0 ? classes
            : self.IsFake ? TracingShapeEnv("one_hot").CreateUnbackedSymbol("one_hot num_classes", new ValueRange(1, ValueRange.Infinity))
            : OneHotClasses(self);
        return new TensorMeta(DType.Int64, [.. self.Shape, count]);
    }, kernel: a =>
    {
        var self = T0(a);
        long classes = L(a[1]) >= 0 ? L(a[1]) : OneHotClasses(self);
        var indices = Eager.Dense<long>(self);
        var result = new long[indices.LongLength * classes];
        for (long i = 0; i < indices.LongLength; i++)
        {
            long c = indices[i];
            if (c < 0) throw new ArgumentException("Class values must be non-negative.");
            if (c >= classes) throw new ArgumentException("Class values must be smaller than num_classes.");
            result[i * classes + c] = 1;
        }
        return Eager.Wrap(result, [.. self.Sizes, classes], DType.Int64);
    });

    /// <summary>max + 1 of an index tensor (the class count one_hot infers); an empty tensor cannot infer it.</summary>
    private static long OneHotClasses(Tensor self)
    {
        var values = Eager.Dense<long>(self);
        if (values.Length == 0) throw new ArgumentException("Can not infer total number of classes from empty tensor.");
        return values.Max() + 1;
    }
}
