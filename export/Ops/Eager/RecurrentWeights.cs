using System.Numerics;
using Graphport.Cpu;

namespace Graphport.Operators;

/// <summary>
/// One direction of one layer of an LSTM or GRU, its weights packed as the GEMM's right operand (w_ihᵀ, w_hhᵀ and an
/// LSTM projection's w_hrᵀ) and its biases as arrays.
/// </summary>
internal sealed record RecurrentDirection<T>(PackedB<T> InputWeight, T[]? InputBias, PackedB<T> HiddenWeight, T[]? HiddenBias, PackedB<T>? Projection)
    where T : unmanaged;

/// <summary>
/// The weights of an aten.lstm.input or aten.gru.input call packed once: the kernel packs them once per call, and a
/// frozen module whose recurrent weights are constants packs them once for good (an ONNX LSTM run one chunk at a time,
/// as Silero VAD runs, would otherwise repack them on every chunk).
/// </summary>
internal sealed class RecurrentWeights
{
    private readonly object[] directions;

    private RecurrentWeights(object[] directions) => this.directions = directions;

    /// <summary>Layer · directions + direction's packed weights, when they were packed for <typeparamref name="T"/>; else null.</summary>
    public RecurrentDirection<T>? Of<T>(int index) where T : unmanaged => directions[index] as RecurrentDirection<T>;

    /// <summary>Packs every layer and direction of <paramref name="parameters"/> (the op's params, float32 or float64).</summary>
    public static RecurrentWeights Prepare(string op, Tensor[] parameters, bool hasBiases, int layers, int dirs, bool projected)
    {
        var spec = RecurrentSpec.Of(op, parameters.Length, hasBiases, layers, dirs, projected);
        bool wide = parameters[0].DType == DType.Float64;
        var packed = new object[layers * dirs];
        for (int index = 0; index < packed.Length; index++)
            packed[index] = wide
                ? PackDirection<double>(parameters, index * spec.Group, spec, hasBiases, projected)
                : PackDirection<float>(parameters, index * spec.Group, spec, hasBiases, projected);
        return new RecurrentWeights(packed);
    }

    /// <summary>Packs the direction whose weights start at <paramref name="at"/> in the op's params.</summary>
    public static RecurrentDirection<T> PackDirection<T>(Tensor[] parameters, int at, RecurrentSpec spec, bool hasBiases, bool projected)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        PackedB<T>? projection = projected ? Transposed<T>(parameters[at + spec.Group - 1]) : null;
        return new RecurrentDirection<T>(
            Transposed<T>(parameters[at]),
            hasBiases ? Eager.Dense<T>(parameters[at + 2]) : null,
            Transposed<T>(parameters[at + 1]),
            hasBiases ? Eager.Dense<T>(parameters[at + 3]) : null,
            projection);
    }

    // w [n, k] as the right operand wᵀ [k, n], stored row-major before packing: a product of a few rows (one step of a
    // batch of one) then takes the GEMM's register path over wᵀ's rows, where a transposed source made it a dot
    // product per output column (512 horizontal sums a step for 128 hidden units).
    private static PackedB<T> Transposed<T>(Tensor w) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = (int)w.Sizes[0], k = (int)w.Sizes[1];
        var source = Eager.Dense<T>(w);
        var transposed = new T[(long)k * n];
        for (int row = 0; row < n; row++)
            for (int col = 0; col < k; col++) transposed[(long)col * n + row] = source[(long)row * k + col];
        return Gemm.Pack(false, k, n, transposed, 0, n);
    }
}
