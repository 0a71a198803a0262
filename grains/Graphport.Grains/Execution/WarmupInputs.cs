using Graphport.Shapes;

namespace Graphport.Grains;

/// <summary>
/// Inputs for a warm-up run, made from the program's own input metadata: every symbol at the smallest size its
/// range allows (at least 2, since export specializes 0 and 1), floats random, integers zero (valid indices).
/// </summary>
public static class WarmupInputs
{
    public static Tensor[] For(ExportedProgram program)
    {
        ArgumentNullException.ThrowIfNull(program);
        var placeholders = program.Graph.Placeholders.ToList();
        var result = new List<Tensor>();
        for (int i = 0; i < program.GraphSignature.InputSpecs.Count && i < placeholders.Count; i++)
        {
            if (program.GraphSignature.InputSpecs[i].Kind != InputKind.UserInput) continue;
            if (placeholders[i].Value is not TensorMeta meta)
                throw new NotSupportedException($"Input {placeholders[i].Name} is not a tensor; warm-up makes tensors only.");
            var sizes = meta.Shape.Select(s => s.AsConstant ?? s.Expr.Evaluate(symbol => SmallestSize(program, symbol))).ToArray();
            result.Add(meta.DType.IsFloatingPoint() ? Torch.Randn(sizes, meta.DType) : Torch.Zeros(sizes, meta.DType));
        }
        return [.. result];
    }

    private static long SmallestSize(ExportedProgram program, SymbolAtom symbol) =>
        program.RangeConstraints.TryGetValue(symbol.Name, out var range) ? Math.Max(range.Lower, 2) : 2;
}
