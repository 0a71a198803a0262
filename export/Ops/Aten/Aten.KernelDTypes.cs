using Graphport.Cpu;
using Graphport.Operators;

namespace Graphport;

/// <summary>
/// The dtypes torch has no CPU kernel for, checked in meta functions so that eager calls and tracing both refuse
/// what torch refuses (abs of a bool tensor, gelu of an int64 one) instead of computing something torch never would.
/// Messages start with torch's own ("\"abs_cpu\" not implemented for 'Bool'") and then say what to do instead.
/// </summary>
internal static partial class Aten
{
    internal static ArgumentException NotImplementedFor(string kernel, string op, DType dtype, string instead) =>
        new($"\"{kernel}\" not implemented for '{DTypeNames.Capitalized(dtype)}': torch's {op} has no {dtype.TorchName()} kernel. {instead}");

    /// <summary>Activations torch defines for floating dtypes only: an integer or bool input is an error, not promoted.</summary>
    private static MetaFunction FloatingOnly(string kernel, string op, MetaFunction meta) => a =>
    {
        var dtype = T0(a).DType;
        if (!dtype.IsFloatingPoint())
            throw NotImplementedFor(kernel, op, dtype, "Convert the input to a floating dtype first, e.g. x.To(DType.Float32).");
        return meta(a);
    };

    /// <summary>Refuses, while tracing as in eager calls, a unary op torch does not define for complex numbers.</summary>
    internal static void ComplexChecked(UnaryOp op, object? operand)
    {
        if (operand is Tensor { DType: var d } && d.IsComplex() && !ComplexPointwise.Defines(op))
            throw ComplexPointwise.NotForComplex(op.ToString().ToLowerInvariant(), d);
    }

    /// <summary>Ops whose torch kernels cover every dtype but bool.</summary>
    private static MetaFunction NoBool(string kernel, string op, string instead, MetaFunction meta) => a =>
    {
        if (T0(a).DType == DType.Bool) throw NotImplementedFor(kernel, op, DType.Bool, instead);
        return meta(a);
    };

    /// <summary>abs, floor, ceil, round and trunc: the same for every dtype but bool, which torch has no kernel for.</summary>
    private static OpOverload UnaryNoBool(string schema, UnaryOp op, string kernel)
    {
        string name = schema[..schema.IndexOf('(')];
        return Def(schema,
            meta: NoBool(kernel, name, $"A bool tensor is its own {name}: use it as is, or convert it to an integer dtype first, e.g. x.To(DType.UInt8).", a =>
            {
                ComplexChecked(op, a[0]);
                var meta = PointwiseMeta(ResultRule.Promoted, a[0]);
                // The magnitude of a complex number is real: abs of complex64 is float32.
                return op == UnaryOp.Abs ? new TensorMeta(meta.DType.ToReal(), meta.Shape) : meta;
            }),
            kernel: PointwiseKernels.Unary(op, ResultRule.Promoted), tags: "core,pointwise");
    }
}
