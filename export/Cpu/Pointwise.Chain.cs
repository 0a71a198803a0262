using System.Numerics;
using System.Numerics.Tensors;

namespace Graphport.Cpu;

public static partial class Pointwise
{
    /// <summary>
    /// output = the steps applied to x in order, in one pass over memory: each chunk of the elementwise driver (8192
    /// elements, in the core's cache) goes through every step before the next chunk is read, where running the ops
    /// one by one reads and writes the whole tensor once per op. Each step computes exactly what its op alone does.
    /// </summary>
    public static void Chain<T>(IReadOnlyList<PointwiseStep> steps, T[] x, StridedLayout layout, T[] output) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(steps);
        RequireFloating<T>("Pointwise.Chain");
        if (steps.Count == 0) throw new ArgumentException("Pointwise.Chain: no steps; expected at least one", nameof(steps));
        var rows = steps.Select(StepRow<T>).ToArray();
        double cost = steps.Sum(s => s.Kind == PointwiseStep.Kinds.Unary ? UnaryCost(s.Op) : 1);
        ElementwiseDriver.Unary("Pointwise.Chain", x, layout, output, (s, d) =>
        {
            rows[0](s, d);
            for (int k = 1; k < rows.Length; k++) rows[k](d, d);
        }, cost);
    }

    private static UnaryRow<T, T> StepRow<T>(PointwiseStep step) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T value = T.CreateTruncating(step.Value);
        return step.Kind switch
        {
            PointwiseStep.Kinds.Add => (s, d) => TensorPrimitives.Add(s, value, d),
            PointwiseStep.Kinds.Multiply => (s, d) => TensorPrimitives.Multiply(s, value, d),
            PointwiseStep.Kinds.Divide => (s, d) => TensorPrimitives.Divide(s, value, d),
            PointwiseStep.Kinds.Clamp when step.Low is null && step.High is null => throw new ArgumentException("Pointwise.Chain: a clamp step without bounds", nameof(step)),
            PointwiseStep.Kinds.Clamp => ClampRow<T>(step.Low is double low ? T.CreateTruncating(low) : null, step.High is double high ? T.CreateTruncating(high) : null),
            PointwiseStep.Kinds.Unary => UnaryRowFor<T>(step.Op),
            _ => throw new ArgumentException($"Pointwise.Chain: unknown step kind {step.Kind}", nameof(step)),
        };
    }

    // Clamp's row (aten::clamp and hardtanh), so a clamp in a chain gives what aten::clamp gives.
    internal static UnaryRow<T, T> ClampRow<T>(T? min, T? max) where T : unmanaged, INumber<T> => (s, d) =>
    {
        if (min is T lo)
        {
            TensorPrimitives.Max(s, lo, d);
            if (max is T hi0) TensorPrimitives.Min(d, hi0, d);
        }
        else if (max is T hi) TensorPrimitives.Min(s, hi, d);
    };
}
