using Graphport.Operators;

namespace Graphport;

/// <summary>
/// The factories called on a tensor (<c>x.new_zeros(size)</c>, ...): a new tensor of the given size with the
/// tensor's dtype unless one is given. torch's export keeps them as nodes; each runs as the plain factory.
/// </summary>
internal static partial class Aten
{
    private const string NewFactoryOptions = "ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None";

    public static readonly OpOverload NewZeros = Composite($"new_zeros(Tensor self, SymInt[] size, *, {NewFactoryOptions}) -> Tensor", NewZerosBody);
    public static readonly OpOverload NewOnes = Composite($"new_ones(Tensor self, SymInt[] size, *, {NewFactoryOptions}) -> Tensor", NewOnesBody);
    public static readonly OpOverload NewFull = Composite($"new_full(Tensor self, SymInt[] size, Scalar fill_value, *, {NewFactoryOptions}) -> Tensor", NewFullBody);
    public static readonly OpOverload NewEmpty = Composite($"new_empty(Tensor self, SymInt[] size, *, {NewFactoryOptions}) -> Tensor", NewEmptyBody);

    private static object? NewZerosBody(object?[] a) => CallKw(Zeros, [a[1]], ("dtype", (DType?)a[2] ?? T0(a).DType));

    private static object? NewOnesBody(object?[] a) => CallKw(Full, [a[1], 1L], ("dtype", (DType?)a[2] ?? T0(a).DType));

    private static object? NewFullBody(object?[] a) => CallKw(Full, [a[1], a[2]], ("dtype", (DType?)a[3] ?? T0(a).DType));

    private static object? NewEmptyBody(object?[] a) => CallKw(EmptyMemoryFormat, [a[1]], ("dtype", (DType?)a[2] ?? T0(a).DType));
}
