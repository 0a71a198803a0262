using System.Collections;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace Graphport.ExportDB;

/// <summary>
/// Short, deterministic descriptions of example inputs and dynamic-shape specs for the docs: tensors by dtype
/// and shape (f32[3, 2]), never by value, so random example data does not change the text.
/// </summary>
public static class ValueText
{
    public static string Describe(object? value) => value switch
    {
        null => "null",
        Tensor t => $"{t.DType.ShortName()}[{string.Join(", ", t.Shape.Select(s => s.ToString()))}]",
        string s => $"\"{s}\"",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IDictionary dict => "{" + string.Join(", ", dict.Keys.Cast<object>().Select(k => $"\"{k}\": {Describe(dict[k])}")) + "}",
        ITuple tuple => "(" + string.Join(", ", Enumerable.Range(0, tuple.Length).Select(i => Describe(tuple[i]))) + ")",
        IEnumerable list => "[" + string.Join(", ", list.Cast<object?>().Select(Describe)) + "]",
        _ => value.ToString() ?? "",
    };

    /// <summary>Forward's parameters with the example value each receives (positional, keyword or default).</summary>
    public static string DescribeInputs(Module module, IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?>? kwargs)
    {
        var parameters = module.ForwardMethod.GetParameters();
        var bound = ForwardArguments.Bind(module, args.ToArray(), kwargs);
        return string.Join(", ", parameters.Select((p, i) =>
        {
            string how = i < args.Count ? "" : kwargs?.ContainsKey(p.Name!) == true ? " (keyword)" : " (default)";
            return $"{p.Name}={Describe(bound[i])}{how}";
        }));
    }

    /// <summary>The dynamic shapes keyed by parameter name: {"x": {0: Dim("batch")}}.</summary>
    public static string DescribeDynamicShapes(DynamicShapes shapes) =>
        "{" + string.Join(", ", shapes.Select(kv => $"\"{kv.Key}\": {(kv.Value is null ? "null" : DescribeSpec(kv.Value))}")) + "}";

    private static string DescribeSpec(ShapeSpec spec) =>
        "{" + string.Join(", ", spec.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}: {kv.Value}")) + "}";
}
