namespace Graphport.Kernels.Codegen;

/// <summary>Where a buffer lives: program weights, or the activation arena (inputs, intermediates, scratch).</summary>
public enum BufferKind
{
    /// <summary>A parameter, buffer or constant of the program, uploaded once.</summary>
    Weight,

    /// <summary>A user input, copied in at the start of each call.</summary>
    Input,

    /// <summary>A value computed by a kernel (user outputs included).</summary>
    Intermediate,

    /// <summary>Working memory of one step (an im2col matrix).</summary>
    Scratch,
}

/// <summary>
/// A logical buffer: contiguous storage of <see cref="Elements"/> values of <see cref="DType"/>. Kernels read
/// and write buffers through index expressions; the memory plan gives each buffer its place.
/// </summary>
public sealed record BufferRef(int Id, string Name, DType DType, long Elements, BufferKind Kind)
{
    public long Bytes => Elements * DTypeSizes.Of(DType);

    public override string ToString() => $"{Name}#{Id}";
}

/// <summary>Bytes per element of each dtype, as stored on the device.</summary>
public static class DTypeSizes
{
    public static int Of(DType dtype) => dtype switch
    {
        DType.Float32 or DType.Int32 => 4,
        DType.Float64 or DType.Int64 or DType.Complex64 => 8,
        DType.Complex128 => 16,
        DType.Float16 or DType.BFloat16 => 2,
        DType.Int8 or DType.UInt8 or DType.Bool => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown dtype."),
    };
}
