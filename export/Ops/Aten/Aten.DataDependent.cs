using Graphport.Operators;

namespace Graphport;

/// <summary>
/// Ops whose results depend on tensor data: reading a number out of a tensor (an unbacked symbol u0 while tracing)
/// and the run-time assertions that Torch.Check records for what the code promised about such values.
/// </summary>
internal static partial class Aten
{
    public static readonly OpOverload LocalScalarDense = Def("_local_scalar_dense(Tensor self) -> Scalar",
        meta: a =>
        {
            var self = T0(a);
            if (!(bool)(self.Numel() == 1))
                throw new ArgumentException($"a Tensor with {self.Numel().Hint} elements cannot be converted to Scalar");
            if (self.DType.IsFloatingPoint())
                throw new DataDependentException("Reading a floating-point value out of a tensor while tracing is not supported (there are no symbolic floats); keep the value a tensor.");
            // Eagerly the value is simply read; while tracing it is unknown, so it becomes an unbacked symbol.
            if (!self.IsFake) return new SymInt(self.GetInt64(0));
            var env = Tracing.Tracer.Current?.ShapeEnv ?? throw new InvalidOperationException("A traced tensor was read outside of its export.");
            return env.CreateUnbackedSymbol($"{DescribeSource(self)}.Item()");
        },
        kernel: a => new SymInt(T0(a).GetInt64(0)),
        tags: "core,data_dependent_output");

    public static readonly OpOverload AssertScalar = Def("_assert_scalar(Scalar self, str assert_msg) -> ()",
        meta: _ => Array.Empty<TensorMeta>(),
        kernel: a =>
        {
            bool holds = a[0] switch
            {
                bool b => b,
                SymBool { AsConstant: bool c } => c,
                long l => l != 0,
                double d => d != 0,
                _ => throw new ArgumentException($"_assert_scalar expects a bool, got {a[0]?.GetType().Name ?? "null"}."),
            };
            if (!holds) throw new ArgumentException($"Runtime assertion failed: {a[1]}");
            return Array.Empty<Tensor>();
        },
        tags: "side_effect");

    private static string DescribeSource(Tensor t) => t.IsFake ? t.Fake.Node.Name : "tensor";
}
