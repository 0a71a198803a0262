namespace Graphport;

/// <summary>
/// The category of a Python number taking part in a tensor operation (<c>t + 2.5</c>).
/// Torch does not give such a "wrapped number" a dtype of its own: only its category
/// matters, and only when it is higher than the tensors' (see <see cref="DTypeInfo.PromoteOperands"/>).
/// </summary>
public enum ScalarKind
{
    /// <summary>A Python <c>bool</c>.</summary>
    Bool,

    /// <summary>A Python <c>int</c>; stands for <see cref="DType.Int64"/> when it decides the result.</summary>
    Integer,

    /// <summary>A Python <c>float</c>; stands for the default dtype (<see cref="DType.Float32"/>) when it decides the result.</summary>
    Floating,

    /// <summary>A Python <c>complex</c> (<c>1j</c>, a <see cref="System.Numerics.Complex"/> here); stands for <see cref="DType.Complex64"/>.</summary>
    Complex,
}
