using Graphport.Graphs;
using Graphport.Shapes;

namespace Graphport;

/// <summary>
/// Checks run-time inputs against the exported shapes, binding symbols left to right as torch does
/// (_check_input_constraints_for_graph), with torch's messages.
/// </summary>
internal static class InputChecker
{
    public static void Check(IReadOnlyList<Node> placeholders, IReadOnlyList<(string Path, Tensor Tensor)> leaves, RangeConstraints ranges)
    {
        if (placeholders.Count != leaves.Count)
            throw new ArgumentException($"Unexpected number of inputs (expected {placeholders.Count}, got {leaves.Count})");
        var bound = new Dictionary<SymbolAtom, long>();
        for (int i = 0; i < leaves.Count; i++)
        {
            var (path, tensor) = leaves[i];
            if (placeholders[i].Value is not TensorMeta meta) continue;
            if (tensor.IsFake) throw new ArgumentException($"Expected input at {path} to be a real tensor, but got a traced tensor.");
            if (tensor.DType != meta.DType)
                throw new ArgumentException($"Expected input at {path} to have dtype {meta.DType.TorchName()}, but got {tensor.DType.TorchName()}");
            if (tensor.Ndim != meta.Rank)
                throw new ArgumentException($"Unexpected number of dimensions in input at {path}.shape (expected [{string.Join(", ", meta.Shape)}], got [{string.Join(", ", tensor.Sizes)}])");
            for (int d = 0; d < meta.Rank; d++)
            {
                // A static size that matches needs no path: it is named only in an error (this runs on every call).
                if (meta.Shape[d].AsConstant is long size && size == tensor.Sizes[d]) continue;
                CheckDim($"{path}.shape[{d}]", meta.Shape[d], tensor.Sizes[d], bound, ranges);
            }
        }
    }

    private static void CheckDim(string path, SymInt expected, long actual, Dictionary<SymbolAtom, long> bound, RangeConstraints ranges)
    {
        if (expected.AsConstant is long c)
        {
            if (actual != c) throw new ArgumentException($"Expected input at {path} to be equal to {c}, but got {actual}");
            return;
        }
        var expr = expected.Expr;
        var symbols = expr.FreeSymbols().ToList();
        var unbound = symbols.Where(s => !bound.ContainsKey(s)).ToList();
        if (unbound.Count == 0)
        {
            long value = expr.Evaluate(s => bound[s]);
            if (actual != value) throw new ArgumentException($"Expected input at {path} to be equal to {value}, but got {actual}");
            return;
        }
        var coefficients = expr.LinearCoefficients();
        if (unbound.Count != 1 || coefficients is null || coefficients.Count != 1)
            throw new ArgumentException($"Cannot check input at {path}: its size {expr} involves several unknown symbols.");
        var symbol = unbound[0];
        long a = coefficients[symbol], b = expr.ConstantTerm;
        if ((actual - b) % a != 0)
            throw new ArgumentException($"Expected input {path} = {actual} to be of the form {expr}, where {symbol.Name} is an integer");
        long root = (actual - b) / a;
        bound[symbol] = root;
        if (!ranges.TryGetValue(symbol.Name, out var range)) return;
        // torch allows 0/1 at run time even though export assumed >= 2: the lower bound is checked only above 2.
        if (range.Lower > 2 && root < range.Lower)
            throw new ArgumentException($"Expected input at {path} to be >= {a * range.Lower + b}, but got {actual}");
        if (range.Upper != ValueRange.Infinity && root > range.Upper)
            throw new ArgumentException($"Expected input at {path} to be <= {a * range.Upper + b}, but got {actual}");
    }
}
