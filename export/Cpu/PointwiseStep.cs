namespace Graphport.Cpu;

/// <summary>
/// One function of a chain of elementwise functions of one tensor that <see cref="Pointwise.Chain{T}"/> runs in a
/// single pass: add, multiply or divide by a number, clamp to bounds, or a parameterless <see cref="UnaryOp"/>.
/// Numbers are converted to the tensor's dtype before use, as aten's kernels convert a Scalar operand.
/// </summary>
public readonly record struct PointwiseStep(PointwiseStep.Kinds Kind, double Value = 0, double? Low = null, double? High = null, UnaryOp Op = default)
{
    public enum Kinds
    {
        /// <summary>x + Value.</summary>
        Add,
        /// <summary>x · Value.</summary>
        Multiply,
        /// <summary>x / Value (a true division, as aten::div without a rounding mode).</summary>
        Divide,
        /// <summary>max(x, Low) then min(·, High), either bound optional; NaN stays NaN.</summary>
        Clamp,
        /// <summary>Op(x).</summary>
        Unary,
    }

    public static PointwiseStep Add(double value) => new(Kinds.Add, value);

    public static PointwiseStep Multiply(double value) => new(Kinds.Multiply, value);

    public static PointwiseStep Divide(double value) => new(Kinds.Divide, value);

    public static PointwiseStep Clamp(double? low, double? high) => low is null && high is null
        ? throw new ArgumentException("PointwiseStep.Clamp: both bounds are null; expected at least one")
        : new(Kinds.Clamp, Low: low, High: high);

    public static PointwiseStep Unary(UnaryOp op) => new(Kinds.Unary, Op: op);

    public override string ToString() => Kind switch
    {
        Kinds.Add => $"add({Value})",
        Kinds.Multiply => $"mul({Value})",
        Kinds.Divide => $"div({Value})",
        Kinds.Clamp => $"clamp({Low?.ToString() ?? "None"}, {High?.ToString() ?? "None"})",
        _ => Op.ToString().ToLowerInvariant(),
    };
}
