namespace Graphport.Kernels.Codegen;

/// <summary>
/// A value computed by a generated kernel for one element: a tree of loads, constants and elementwise ops.
/// The CUDA C renderer prints it; the CPU twin evaluates it. Every node knows the kind it computes in.
/// </summary>
public abstract record Expr(ValueKind Kind);

/// <summary>Reads element <see cref="Index"/> of a buffer, widened to the buffer's compute kind.</summary>
public sealed record LoadExpr(BufferRef Buffer, IndexExpr Index) : Expr(ValueKinds.Of(Buffer.DType));

/// <summary>A literal.</summary>
public sealed record ConstExpr(double Value, ValueKind ConstKind) : Expr(ConstKind);

/// <summary>An index expression used as a value (arange, iota).</summary>
public sealed record IndexValueExpr(IndexExpr Index, ValueKind ValueKind) : Expr(ValueKind);

/// <summary>True where Low ≤ Index &lt; High: padding, pooling windows and concatenation pick branches with it.</summary>
public sealed record InRangeExpr(IndexExpr Index, long Low, long High) : Expr(ValueKind.Bool);

public sealed record UnaryExpr(UnaryOp Op, Expr Operand, ValueKind ResultKind) : Expr(ResultKind);

public sealed record BinaryExpr(BinaryOp Op, Expr Left, Expr Right, ValueKind ResultKind) : Expr(ResultKind);

/// <summary>
/// Condition ? WhenTrue : WhenFalse, evaluated lazily: only the chosen branch's loads run, which is what makes
/// out-of-range reads in padding and concatenation safe.
/// </summary>
public sealed record SelectExpr(Expr Condition, Expr WhenTrue, Expr WhenFalse, ValueKind ResultKind) : Expr(ResultKind);

/// <summary>Conversion between compute kinds (C's cast; to bool means "not zero").</summary>
public sealed record CastExpr(Expr Operand, ValueKind TargetKind) : Expr(TargetKind);

/// <summary>In an epilogue: the value the kernel's main computation produced for the current element.</summary>
public sealed record AccumulatorExpr(ValueKind AccumulatorKind) : Expr(AccumulatorKind);

/// <summary>Building helpers that fold the obvious cases so generated code stays short.</summary>
public static class Exprs
{
    public static Expr Const(double value, ValueKind kind) => new ConstExpr(value, kind);

    public static Expr Cast(Expr e, ValueKind kind) => e.Kind == kind ? e : e is ConstExpr c ? new ConstExpr(Convert(c.Value, kind), kind) : new CastExpr(e, kind);

    /// <summary>
    /// <paramref name="e"/> (already of <paramref name="dtype"/>'s compute kind) as a tensor of <paramref name="dtype"/>
    /// holds it: a fused chain computes integers in int64 and halves in float32, so a cast to int8, uint8, int32,
    /// float16 or bfloat16 inside it must wrap or round where a store would (torch: -1.0 to uint8 is 255).
    /// </summary>
    public static Expr Narrow(Expr e, DType dtype)
    {
        UnaryOp? op = dtype switch
        {
            DType.Int8 => UnaryOp.WrapInt8,
            DType.UInt8 => UnaryOp.WrapUInt8,
            DType.Int32 => UnaryOp.WrapInt32,
            DType.Float16 => UnaryOp.RoundToFloat16,
            DType.BFloat16 => UnaryOp.RoundToBFloat16,
            _ => null,
        };
        if (op is not { } narrow) return e;
        if (e is ConstExpr c) return new ConstExpr(NarrowValue(narrow, c.Value), c.Kind);
        return HoldsOnly(e) is { } held && Fits(held, dtype) ? e : new UnaryExpr(narrow, e, e.Kind);
    }

    // The dtype whose values are all an expression can give, where that is plain: a load of an integer buffer, or a
    // narrowing. Such a value needs no wrapping into a dtype at least as wide (int8 widened to int32 stays as it is).
    private static DType? HoldsOnly(Expr e) => e switch
    {
        LoadExpr { Buffer.DType: DType.Int8 or DType.UInt8 or DType.Int32 or DType.Float16 or DType.BFloat16 } load => load.Buffer.DType,
        UnaryExpr { Op: UnaryOp.WrapInt8 } => DType.Int8,
        UnaryExpr { Op: UnaryOp.WrapUInt8 } => DType.UInt8,
        UnaryExpr { Op: UnaryOp.WrapInt32 } => DType.Int32,
        UnaryExpr { Op: UnaryOp.RoundToFloat16 } => DType.Float16,
        UnaryExpr { Op: UnaryOp.RoundToBFloat16 } => DType.BFloat16,
        _ => null,
    };

    private static bool Fits(DType held, DType into) => held == into || (held, into) is (DType.Int8 or DType.UInt8, DType.Int32);

    /// <summary>The value a narrowing op gives (the twin's definition, and constant folding's).</summary>
    public static double NarrowValue(UnaryOp op, double value) => op switch
    {
        UnaryOp.WrapInt8 => unchecked((sbyte)(long)value),
        UnaryOp.WrapUInt8 => unchecked((byte)(long)value),
        UnaryOp.WrapInt32 => unchecked((int)(long)value),
        UnaryOp.RoundToFloat16 => (float)(Half)(float)value,
        UnaryOp.RoundToBFloat16 => (float)(BFloat16)(float)value,
        _ => throw new ArgumentException($"{op} is not a narrowing op.", nameof(op)),
    };

    public static Expr Unary(UnaryOp op, Expr a) => new UnaryExpr(op, a, op is UnaryOp.IsNan or UnaryOp.IsInf or UnaryOp.LogicalNot ? ValueKind.Bool : a.Kind);

    /// <summary>An op on two operands promoted to <paramref name="kind"/>; comparisons and logic give bool.</summary>
    public static Expr Binary(BinaryOp op, Expr a, Expr b, ValueKind kind)
    {
        if (op.IsLogical()) return new BinaryExpr(op, Cast(a, ValueKind.Bool), Cast(b, ValueKind.Bool), ValueKind.Bool);
        a = Cast(a, kind);
        b = Cast(b, kind);
        if (op.IsComparison()) return new BinaryExpr(op, a, b, ValueKind.Bool);
        if (b is ConstExpr { Value: 0 } && op is BinaryOp.Add or BinaryOp.Sub) return a;
        if (b is ConstExpr { Value: 1 } && op is BinaryOp.Mul or BinaryOp.Div) return a;
        return new BinaryExpr(op, a, b, kind);
    }

    public static Expr Select(Expr condition, Expr whenTrue, Expr whenFalse)
    {
        var kind = ValueKinds.Widest(whenTrue.Kind, whenFalse.Kind);
        return new SelectExpr(Cast(condition, ValueKind.Bool), Cast(whenTrue, kind), Cast(whenFalse, kind), kind);
    }

    public static Expr And(Expr a, Expr b) => a is ConstExpr { Value: not 0 } ? b : b is ConstExpr { Value: not 0 } ? a : Binary(BinaryOp.LogicalAnd, a, b, ValueKind.Bool);

    /// <summary>Low ≤ index &lt; High, or a constant true when the bounds already guarantee it.</summary>
    public static Expr InRange(IndexExpr index, long low, long high) =>
        index.Min >= low && index.Max < high ? Const(1, ValueKind.Bool) : new InRangeExpr(index, low, high);

    /// <summary>The value a C cast to <paramref name="kind"/> gives.</summary>
    public static double Convert(double value, ValueKind kind) => kind switch
    {
        ValueKind.Bool => value != 0 ? 1 : 0,
        ValueKind.Int64 => double.IsNaN(value) ? 0 : Math.Truncate(value),
        ValueKind.Float => (float)value,
        _ => value,
    };
}
