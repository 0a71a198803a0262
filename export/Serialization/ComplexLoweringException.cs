namespace Graphport.Serialization;

/// <summary>
/// A torch program's complex values cannot all be rewritten as (real, imaginary) pairs (an op without a real form, a
/// complex input, output or weight): the reader then loads the program with complex tensors as they are, so this never
/// leaves the reader.
/// </summary>
internal sealed class ComplexLoweringException(string message) : Exception(message)
{
    /// <summary>The refusal, placed as the reader places its errors (file and JSON path).</summary>
    public static ComplexLoweringException From(JsonCursor at, string message) => new(at.Error(message).Message);
}
