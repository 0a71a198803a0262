using System.Runtime.CompilerServices;

namespace Graphport;

/// <summary>
/// Python's tensor operators. Arithmetic with a number records add.Tensor(x, 1) as torch does; comparisons
/// give bool tensors; using a tensor as a C# bool reads its single value (a graph break while exporting).
/// </summary>
public partial class Tensor
{
    private static Tensor NotNull(Tensor? t, string side) => t ?? throw new ArgumentNullException(side,
        "A tensor operator got null. To test a tensor reference for null use `is null`; == on tensors compares elements.");

    public static Tensor operator +(Tensor a, Tensor b) => Aten.Call(Aten.Add, NotNull(a, nameof(a)), NotNull(b, nameof(b)));
    public static Tensor operator +(Tensor a, double b) => Aten.Call(Aten.Add, a, b);
    public static Tensor operator +(Tensor a, long b) => Aten.Call(Aten.Add, a, b);
    public static Tensor operator +(double a, Tensor b) => Aten.Call(Aten.Add, b, a);
    public static Tensor operator +(long a, Tensor b) => Aten.Call(Aten.Add, b, a);

    public static Tensor operator -(Tensor a, Tensor b) => Aten.Call(Aten.Sub, NotNull(a, nameof(a)), NotNull(b, nameof(b)));
    public static Tensor operator -(Tensor a, double b) => Aten.Call(Aten.Sub, a, b);
    public static Tensor operator -(Tensor a, long b) => Aten.Call(Aten.Sub, a, b);
    public static Tensor operator -(double a, Tensor b) => Aten.Call(Aten.Rsub, b, a);
    public static Tensor operator -(long a, Tensor b) => Aten.Call(Aten.Rsub, b, a);
    public static Tensor operator -(Tensor a) => Aten.Call(Aten.Neg, a);

    public static Tensor operator *(Tensor a, Tensor b) => Aten.Call(Aten.Mul, NotNull(a, nameof(a)), NotNull(b, nameof(b)));
    public static Tensor operator *(Tensor a, double b) => Aten.Call(Aten.Mul, a, b);
    public static Tensor operator *(Tensor a, long b) => Aten.Call(Aten.Mul, a, b);
    public static Tensor operator *(double a, Tensor b) => Aten.Call(Aten.Mul, b, a);
    public static Tensor operator *(long a, Tensor b) => Aten.Call(Aten.Mul, b, a);

    public static Tensor operator /(Tensor a, Tensor b) => Aten.Call(Aten.Div, NotNull(a, nameof(a)), NotNull(b, nameof(b)));
    public static Tensor operator /(Tensor a, double b) => Aten.Call(Aten.Div, a, b);
    public static Tensor operator /(Tensor a, long b) => Aten.Call(Aten.Div, a, b);
    public static Tensor operator /(double a, Tensor b) => Aten.Call(Aten.Mul, Aten.Call(Aten.Reciprocal, b), a);

    public static Tensor operator %(Tensor a, Tensor b) => Aten.Call(Aten.Remainder, a, b);
    public static Tensor operator %(Tensor a, long b) => Aten.Call(Aten.RemainderScalar, a, b);
    public static Tensor operator %(Tensor a, double b) => Aten.Call(Aten.RemainderScalar, a, b);

    public static Tensor operator ==(Tensor a, Tensor b) => Aten.Call(Aten.EqTensor, NotNull(a, nameof(a)), NotNull(b, nameof(b)));
    public static Tensor operator !=(Tensor a, Tensor b) => Aten.Call(Aten.NeTensor, NotNull(a, nameof(a)), NotNull(b, nameof(b)));
    public static Tensor operator <(Tensor a, Tensor b) => Aten.Call(Aten.LtTensor, a, b);
    public static Tensor operator <=(Tensor a, Tensor b) => Aten.Call(Aten.LeTensor, a, b);
    public static Tensor operator >(Tensor a, Tensor b) => Aten.Call(Aten.GtTensor, a, b);
    public static Tensor operator >=(Tensor a, Tensor b) => Aten.Call(Aten.GeTensor, a, b);

    public static Tensor operator ==(Tensor a, double b) => Aten.Call(Aten.EqScalar, NotNull(a, nameof(a)), b);
    public static Tensor operator !=(Tensor a, double b) => Aten.Call(Aten.NeScalar, NotNull(a, nameof(a)), b);
    public static Tensor operator <(Tensor a, double b) => Aten.Call(Aten.LtScalar, a, b);
    public static Tensor operator <=(Tensor a, double b) => Aten.Call(Aten.LeScalar, a, b);
    public static Tensor operator >(Tensor a, double b) => Aten.Call(Aten.GtScalar, a, b);
    public static Tensor operator >=(Tensor a, double b) => Aten.Call(Aten.GeScalar, a, b);

    public static Tensor operator ==(Tensor a, long b) => Aten.Call(Aten.EqScalar, NotNull(a, nameof(a)), b);
    public static Tensor operator !=(Tensor a, long b) => Aten.Call(Aten.NeScalar, NotNull(a, nameof(a)), b);
    public static Tensor operator <(Tensor a, long b) => Aten.Call(Aten.LtScalar, a, b);
    public static Tensor operator <=(Tensor a, long b) => Aten.Call(Aten.LeScalar, a, b);
    public static Tensor operator >(Tensor a, long b) => Aten.Call(Aten.GtScalar, a, b);
    public static Tensor operator >=(Tensor a, long b) => Aten.Call(Aten.GeScalar, a, b);

    public static Tensor operator &(Tensor a, Tensor b) => a.DType == DType.Bool && b.DType == DType.Bool ? Aten.Call(Aten.LogicalAnd, a, b) : Aten.Call(Aten.BitwiseAnd, a, b);
    public static Tensor operator |(Tensor a, Tensor b) => a.DType == DType.Bool && b.DType == DType.Bool ? Aten.Call(Aten.LogicalOr, a, b) : Aten.Call(Aten.BitwiseOr, a, b);
    public static Tensor operator ^(Tensor a, Tensor b) => a.DType == DType.Bool && b.DType == DType.Bool ? Aten.Call(Aten.LogicalXor, a, b) : Aten.Call(Aten.BitwiseXor, a, b);
    public static Tensor operator ~(Tensor a) => a.DType == DType.Bool ? Aten.Call(Aten.LogicalNot, a) : Aten.Call(Aten.BitwiseNot, a);
    public static Tensor operator !(Tensor a) => Aten.Call(Aten.LogicalNot, a);

    /// <summary>A number as a 0-dim tensor (float32 for doubles), so x[0, 0] = 3 works.</summary>
    public static implicit operator Tensor(double value) => Torch.ScalarTensor(value);

    public static implicit operator Tensor(long value) => Torch.ScalarTensor(value);

    /// <summary>Python's bool(tensor): the truth of a one-element tensor. Tracing cannot decide it (data-dependent).</summary>
    public static bool operator true(Tensor t) => t.ToBoolean();

    public static bool operator false(Tensor t) => !t.ToBoolean();

    private bool ToBoolean()
    {
        if (IsFake)
            throw new DataDependentException(
                "Could not guard on data-dependent expression: a tensor is used as a C# bool (for example `if (x.Sum() > 0)`), " +
                "so the branch depends on tensor data that is unknown while tracing" +
                (Tracing.UserFrames.Current() is { } where ? $" (at {where})" : "") +
                ". Use Torch.Cond to capture both branches in the graph.");
        if (NumelLong != 1)
            throw new InvalidOperationException($"Boolean value of Tensor with more than one value is ambiguous (the tensor has shape {Shape}). Use .Any() or .All().");
        return GetDouble(0) != 0;
    }

    /// <summary>Reference identity: tensors are mutable objects; == compares elements, not identity.</summary>
    public override bool Equals(object? obj) => ReferenceEquals(this, obj);

    public override int GetHashCode() => RuntimeHelpers.GetHashCode(this);
}
