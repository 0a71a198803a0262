using System.Collections;
using System.Runtime.CompilerServices;

namespace Graphport.Tests.Onnx;

/// <summary>
/// Reading an imported program's result the way ONNX Runtime lists outputs, and naming elements by index. No test
/// framework here: the bench links this file to measure agreement without asserting.
/// </summary>
public static class ProgramOutputs
{
    /// <summary>The result's tensors in output order: by name from a mapping that has every name, else in sequence (one tensor, a tuple, array or list).</summary>
    public static List<Tensor> InOrder(object? result, IReadOnlyList<string> names)
    {
        if (result is IDictionary named && names.Count > 0 && names.All(named.Contains))
            return names.Select(n => named[n] as Tensor ?? throw new InvalidOperationException($"Output '{n}' is not a tensor.")).ToList();
        var tensors = new List<Tensor>();
        void Walk(object? item)
        {
            switch (item)
            {
                case Tensor t: tensors.Add(t); break;
                case IDictionary d:
                    foreach (var x in d.Values) Walk(x);
                    break;
                case ITuple tuple:
                    for (int i = 0; i < tuple.Length; i++) Walk(tuple[i]);
                    break;
                case IEnumerable sequence:
                    foreach (var x in sequence) Walk(x);
                    break;
                default:
                    throw new InvalidOperationException($"The imported program returned {item?.GetType().Name ?? "null"} where a tensor was expected.");
            }
        }
        Walk(result);
        return tensors;
    }

    /// <summary>The multi-index of a flat row-major position.</summary>
    public static long[] Unravel(int flat, long[] shape)
    {
        var index = new long[shape.Length];
        long rest = Math.Max(flat, 0);
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            if (shape[d] == 0) continue;
            index[d] = rest % shape[d];
            rest /= shape[d];
        }
        return index;
    }
}
