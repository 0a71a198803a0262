using System.Text.RegularExpressions;
using Graphport.Graphs;

namespace Graphport.Grains;

/// <summary>
/// Whether a program can be batched, and along what: every user input is a tensor whose first size is the same
/// symbol, that symbol appears in no other size of an input or output, and every output is a user output whose
/// first size is that symbol. Then requests can be concatenated along dim 0 and outputs split by rows.
/// </summary>
public sealed record BatchDimension(string Symbol, long MaxRows)
{
    public static BatchDimension? Find(ExportedProgram program)
    {
        ArgumentNullException.ThrowIfNull(program);
        var placeholders = program.Graph.Placeholders.ToList();
        var inputs = new List<TensorMeta>();
        for (int i = 0; i < program.GraphSignature.InputSpecs.Count && i < placeholders.Count; i++)
        {
            if (program.GraphSignature.InputSpecs[i].Kind != InputKind.UserInput) continue;
            if (placeholders[i].Value is not TensorMeta meta || meta.Shape.Length == 0) return null;
            inputs.Add(meta);
        }
        if (inputs.Count == 0 || !inputs[0].Shape[0].IsSymbolic) return null;
        string symbol = inputs[0].Shape[0].ToString();
        if (!Regex.IsMatch(symbol, "^[a-z]+[0-9]*$")) return null;

        if (program.GraphSignature.OutputSpecs.Any(s => s.Kind != OutputKind.UserOutput)) return null;
        if (program.Graph.OutputNode is not { } output || output.Args.Length == 0 || output.Args[0] is not IEnumerable<object?> results) return null;
        var outputs = new List<TensorMeta>();
        foreach (var result in results)
        {
            if (result is not Node { Value: TensorMeta meta } || meta.Shape.Length == 0) return null;
            outputs.Add(meta);
        }
        if (outputs.Count == 0) return null;

        var wholeWord = new Regex($@"\b{symbol}\b");
        foreach (var meta in inputs.Concat(outputs))
        {
            if (meta.Shape[0].ToString() != symbol) return null;
            if (meta.Shape.Skip(1).Any(s => wholeWord.IsMatch(s.ToString()))) return null;
        }
        long maxRows = program.RangeConstraints.TryGetValue(symbol, out var range) && range.Upper != Shapes.ValueRange.Infinity
            ? range.Upper
            : long.MaxValue;
        return new BatchDimension(symbol, maxRows);
    }
}
