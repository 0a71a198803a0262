using System.Runtime.CompilerServices;

namespace Graphport.Grains;

/// <summary>Flattens a Forward result (tensor, tuple, array, list; sizes as numbers) into its tensors in order.</summary>
public static class TensorLists
{
    public static Tensor[] Flatten(object? value)
    {
        var into = new List<Tensor>();
        Add(value, into);
        return [.. into];
    }

    private static void Add(object? value, List<Tensor> into)
    {
        switch (value)
        {
            case Tensor t:
                into.Add(t);
                break;
            case long l:
                into.Add(Tensor.FromArray(new[] { l }));
                break;
            case int i:
                into.Add(Tensor.FromArray(new long[] { i }));
                break;
            case double d:
                into.Add(Tensor.FromArray(new[] { d }));
                break;
            case bool b:
                into.Add(Tensor.FromArray(new[] { b }));
                break;
            case ITuple tuple:
                for (int i = 0; i < tuple.Length; i++) Add(tuple[i], into);
                break;
            case System.Collections.IEnumerable items when value is not string:
                foreach (var item in items) Add(item, into);
                break;
            case null:
                break;
            default:
                throw new NotSupportedException($"The program returned a {value.GetType().Name}, which cannot be sent back; return tensors.");
        }
    }
}
