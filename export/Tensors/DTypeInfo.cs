namespace Graphport;

/// <summary>
/// Facts about each <see cref="DType"/> (size, category, names as torch spells them, CLR element type)
/// and torch's type promotion. Names and promotion results must match torch exactly, because they end
/// up in printed graphs and in the dtypes recorded for every node of an exported program.
/// </summary>
public static class DTypeInfo
{
    /// <summary>
    /// Torch's default dtype (<c>torch.get_default_dtype()</c>): what a Python float becomes, and the
    /// dtype that tensor printing leaves unnamed. Graphport does not support changing it.
    /// </summary>
    public const DType DefaultFloat = DType.Float32;

    private static readonly DType[] AllDTypes = Enum.GetValues<DType>();

    /// <summary>Bytes per element, as <c>torch.dtype.itemsize</c> reports (bool takes a whole byte).</summary>
    public static int ElementSize(this DType dtype) => dtype switch
    {
        DType.Complex128 => 16,
        DType.Float64 or DType.Int64 or DType.Complex64 => 8,
        DType.Float32 or DType.Int32 => 4,
        DType.Float16 or DType.BFloat16 => 2,
        DType.Int8 or DType.UInt8 or DType.Bool => 1,
        _ => throw Unknown(dtype),
    };

    /// <summary>Torch's <c>dtype.is_floating_point</c>.</summary>
    public static bool IsFloatingPoint(this DType dtype) =>
        dtype is DType.Float32 or DType.Float64 or DType.Float16 or DType.BFloat16;

    /// <summary>torch.finfo(dtype).eps: the gap between 1 and the next larger value of a floating-point dtype.</summary>
    public static double MachineEpsilon(this DType dtype) => dtype switch
    {
        DType.Float32 => 1.1920928955078125e-07,
        DType.Float64 => 2.220446049250313e-16,
        DType.Float16 => 0.0009765625,
        DType.BFloat16 => 0.0078125,
        _ => throw new ArgumentException($"finfo is only defined for floating-point dtypes, got {dtype.TorchName()}", nameof(dtype)),
    };

    /// <summary>Torch's <c>dtype.is_complex</c>.</summary>
    public static bool IsComplex(this DType dtype) => dtype is DType.Complex64 or DType.Complex128;

    /// <summary>
    /// The real dtype of a complex one's parts (<c>complex64</c> → <c>float32</c>): what <c>abs</c>, <c>real</c>,
    /// <c>imag</c> and <c>view_as_real</c> give. A real dtype is its own.
    /// </summary>
    public static DType ToReal(this DType dtype) => dtype switch
    {
        DType.Complex64 => DType.Float32,
        DType.Complex128 => DType.Float64,
        _ => dtype,
    };

    /// <summary>
    /// The complex dtype whose parts are <paramref name="dtype"/> (<c>float64</c> → <c>complex128</c>), as torch's
    /// <c>toComplexType</c>; the half formats and integers go to complex64 (Graphport has no complex32).
    /// </summary>
    public static DType ToComplex(this DType dtype) => dtype switch
    {
        DType.Float64 or DType.Complex128 => DType.Complex128,
        _ => DType.Complex64,
    };

    /// <summary>
    /// Torch's <c>c10::isIntegralType(t, includeBool)</c>: kernels differ on whether bool counts as an
    /// integer, so the caller has to say which view it wants.
    /// </summary>
    public static bool IsIntegral(this DType dtype, bool includeBool) =>
        dtype is DType.Int64 or DType.Int32 or DType.Int8 or DType.UInt8 || (includeBool && dtype == DType.Bool);

    /// <summary>The name <c>str(dtype)</c> prints, e.g. <c>torch.float32</c>.</summary>
    public static string TorchName(this DType dtype) => dtype switch
    {
        DType.Float32 => "torch.float32",
        DType.Float64 => "torch.float64",
        DType.Float16 => "torch.float16",
        DType.BFloat16 => "torch.bfloat16",
        DType.Int64 => "torch.int64",
        DType.Int32 => "torch.int32",
        DType.Int8 => "torch.int8",
        DType.UInt8 => "torch.uint8",
        DType.Bool => "torch.bool",
        DType.Complex64 => "torch.complex64",
        DType.Complex128 => "torch.complex128",
        _ => throw Unknown(dtype),
    };

    /// <summary>
    /// The abbreviation FX and torch.export use when printing a graph (<c>f32[2, 3]</c>); bool is
    /// <c>b8</c> there, not <c>bool</c>.
    /// </summary>
    public static string ShortName(this DType dtype) => dtype switch
    {
        DType.Float32 => "f32",
        DType.Float64 => "f64",
        DType.Float16 => "f16",
        DType.BFloat16 => "bf16",
        DType.Int64 => "i64",
        DType.Int32 => "i32",
        DType.Int8 => "i8",
        DType.UInt8 => "u8",
        DType.Bool => "b8",
        DType.Complex64 => "c64",
        DType.Complex128 => "c128",
        _ => throw Unknown(dtype),
    };

    /// <summary>The CLR type that holds one element; .NET lacks bfloat16, so it is <see cref="Graphport.BFloat16"/>.</summary>
    public static Type ClrType(this DType dtype) => dtype switch
    {
        DType.Float32 => typeof(float),
        DType.Float64 => typeof(double),
        DType.Float16 => typeof(Half),
        DType.BFloat16 => typeof(BFloat16),
        DType.Int64 => typeof(long),
        DType.Int32 => typeof(int),
        DType.Int8 => typeof(sbyte),
        DType.UInt8 => typeof(byte),
        DType.Bool => typeof(bool),
        DType.Complex64 => typeof(ComplexFloat),
        DType.Complex128 => typeof(System.Numerics.Complex),
        _ => throw Unknown(dtype),
    };

    /// <summary>The dtype whose elements are <paramref name="type"/>; the inverse of <see cref="ClrType"/>.</summary>
    /// <exception cref="ArgumentException">No dtype has that element type (e.g. <c>short</c>, <c>decimal</c>).</exception>
    public static DType FromClrType(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        foreach (var dtype in AllDTypes)
        {
            if (dtype.ClrType() == type)
                return dtype;
        }

        throw new ArgumentException($"No Graphport dtype holds elements of type {type}.", nameof(type));
    }

    /// <summary>Parses an FX abbreviation (<c>f32</c>, <c>b8</c>, ...); the inverse of <see cref="ShortName"/>.</summary>
    public static bool TryParseShortName(string? name, out DType dtype)
    {
        foreach (var candidate in AllDTypes)
        {
            if (candidate.ShortName() == name)
            {
                dtype = candidate;
                return true;
            }
        }

        dtype = default;
        return false;
    }

    /// <summary>
    /// Parses <c>torch.float32</c> and friends. The aliases torch defines as attributes (<c>torch.float</c>,
    /// <c>torch.double</c>, <c>torch.half</c>, <c>torch.long</c>, <c>torch.int</c>) are accepted too, because
    /// user code and hand-written specs spell dtypes that way even though <c>str()</c> never does.
    /// </summary>
    public static bool TryParseTorchName(string? name, out DType dtype)
    {
        DType? parsed = name switch
        {
            "torch.float32" or "torch.float" => DType.Float32,
            "torch.float64" or "torch.double" => DType.Float64,
            "torch.float16" or "torch.half" => DType.Float16,
            "torch.bfloat16" => DType.BFloat16,
            "torch.int64" or "torch.long" => DType.Int64,
            "torch.int32" or "torch.int" => DType.Int32,
            "torch.int8" => DType.Int8,
            "torch.uint8" => DType.UInt8,
            "torch.bool" => DType.Bool,
            "torch.complex64" or "torch.cfloat" => DType.Complex64,
            "torch.complex128" or "torch.cdouble" => DType.Complex128,
            _ => null,
        };
        dtype = parsed.GetValueOrDefault();
        return parsed is not null;
    }

    /// <summary>
    /// <c>torch.promote_types(a, b)</c>: the smallest dtype both can be converted to without leaving
    /// their category. Deviation: torch answers <c>int16</c> for uint8 with int8; Graphport has no
    /// int16, so this returns <see cref="DType.Int32"/>, the smallest dtype we have that still holds
    /// both -128 and 255 (int64 would also be lossless, but would double memory for no reason).
    /// </summary>
    public static DType Promote(DType a, DType b)
    {
        if (a == b)
            return a;
        if (a == DType.Bool)
            return b;
        if (b == DType.Bool)
            return a;

        // A complex operand makes the result complex, wide enough for the other side's precision
        // (float64 + complex64 -> complex128, int64 + complex64 -> complex64).
        if (a.IsComplex() || b.IsComplex())
            return a == DType.Complex128 || b == DType.Complex128 || a == DType.Float64 || b == DType.Float64
                ? DType.Complex128 : DType.Complex64;

        bool aFloat = a.IsFloatingPoint();
        bool bFloat = b.IsFloatingPoint();
        if (aFloat && bFloat)
        {
            // Neither half format can hold the other (bf16 has range, f16 has precision): meet at float32.
            if (a is DType.Float16 or DType.BFloat16 && b is DType.Float16 or DType.BFloat16)
                return DType.Float32;
            return a.ElementSize() >= b.ElementSize() ? a : b;
        }

        // A float beats any integer, whatever its width: torch gives int64 + float16 -> float16.
        if (aFloat)
            return a;
        if (bFloat)
            return b;

        if (a is DType.UInt8 && b is DType.Int8 || a is DType.Int8 && b is DType.UInt8)
            return DType.Int32;

        // Remaining pairs are signed with signed, or uint8 with a wider signed type: the wider wins.
        return a.ElementSize() >= b.ElementSize() ? a : b;
    }

    /// <summary>
    /// <c>torch.can_cast(from, to)</c>: whether an op's result may be written into an existing tensor of another
    /// dtype (in-place ops, out=). Casting never drops a category: floats do not go into integers, and nothing
    /// but bool goes into bool.
    /// </summary>
    public static bool CanCast(DType from, DType to)
    {
        if (from.IsComplex() && !to.IsComplex())
            return false;
        if (from.IsFloatingPoint() && !to.IsFloatingPoint() && !to.IsComplex())
            return false;
        return from == DType.Bool || to != DType.Bool;
    }

    /// <summary>
    /// The result dtype of an operation between a dimensioned tensor and a Python number
    /// (<c>torch.result_type(t, 2.5)</c>): the number only matters when its category is higher
    /// (int64 tensor + 2.5 -> float32, float16 tensor + 2.5 -> float16, uint8 tensor + 1 -> uint8).
    /// </summary>
    public static DType PromoteWithScalar(DType tensorType, ScalarKind kind) =>
        PromoteOperands([(tensorType, false)], [kind]);

    /// <summary>
    /// Torch's full <c>result_type</c> rule (c10 <c>ResultTypeState</c>). Operands form three classes,
    /// each promoted within itself with <see cref="Promote"/>: dimensioned tensors, zero-dim tensors, and
    /// Python numbers (which count as bool, int64 or the default float). A lower class only changes the
    /// result when its category (bool &lt; integer &lt; floating) is higher than the class above it, so
    /// <c>int32[3] + float64[]</c> is float64 but <c>float32[3] + float64[]</c> stays float32.
    /// </summary>
    /// <exception cref="ArgumentException">There are no operands at all.</exception>
    public static DType PromoteOperands(IEnumerable<(DType dtype, bool isZeroDim)> tensors, IEnumerable<ScalarKind> scalars)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(scalars);

        DType? dimensioned = null;
        DType? zeroDim = null;
        foreach (var (dtype, isZeroDim) in tensors)
        {
            if (isZeroDim)
                zeroDim = PromoteSkippingNone(zeroDim, dtype);
            else
                dimensioned = PromoteSkippingNone(dimensioned, dtype);
        }

        DType? wrapped = null;
        foreach (var kind in scalars)
            wrapped = PromoteSkippingNone(wrapped, DTypeOf(kind));

        return CombineCategories(dimensioned, CombineCategories(zeroDim, wrapped))
            ?? throw new ArgumentException("Type promotion needs at least one operand.", nameof(tensors));
    }

    /// <summary>The dtype a Python number becomes when it does decide the result.</summary>
    private static DType DTypeOf(ScalarKind kind) => kind switch
    {
        ScalarKind.Bool => DType.Bool,
        ScalarKind.Integer => DType.Int64,
        ScalarKind.Floating => DefaultFloat,
        ScalarKind.Complex => DType.Complex64,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown scalar kind."),
    };

    private static DType PromoteSkippingNone(DType? sofar, DType next) => sofar is { } s ? Promote(s, next) : next;

    /// <summary>
    /// c10's <c>combine_categories</c>: the higher class wins unless the lower one is of a higher category.
    /// A bool higher class promotes with anything, since every category is above bool.
    /// </summary>
    private static DType? CombineCategories(DType? higher, DType? lower)
    {
        if (higher is not { } h)
            return lower;
        if (lower is not { } l)
            return h;
        if (h.IsComplex())
            return h;
        // A complex lower class keeps the higher class's precision: float32[3] * complex128[] is complex64.
        if (h.IsFloatingPoint())
            return l.IsComplex() ? h.ToComplex() : h;
        if (h == DType.Bool || l.IsFloatingPoint() || l.IsComplex())
            return Promote(h, l);
        return h;
    }

    private static ArgumentOutOfRangeException Unknown(DType dtype) =>
        new(nameof(dtype), dtype, "Unknown dtype.");
}
