using System.Collections;
using System.Runtime.CompilerServices;

namespace Graphport.ExportDB.Tests;

/// <summary>
/// Compares what the eager module and the exported program return: the same structure (tensors, numbers,
/// arrays, lists, tuples, dictionaries) with tensors of the same dtype and shape and values equal within a
/// float tolerance. A symbolic size from eager and a number from the program compare as numbers.
/// </summary>
public static class SameOutputs
{
    public static void Assert(object? expected, object? actual, string where = "output")
    {
        switch (expected)
        {
            case Tensor e:
                var a = Xunit.Assert.IsAssignableFrom<Tensor>(actual);
                Xunit.Assert.True(e.DType == a.DType, $"{where}: dtype {a.DType} instead of {e.DType}");
                Xunit.Assert.True(e.Shape.Equals(a.Shape), $"{where}: shape {a.Shape} instead of {e.Shape}");
                Xunit.Assert.True(a.AllClose(e, 1e-5, 1e-5), $"{where}: values differ\nexpected {e}\nactual {a}");
                break;
            case SymInt or long or int:
                Xunit.Assert.Equal(Number(expected), Number(actual));
                break;
            case IDictionary e:
                var ad = Xunit.Assert.IsAssignableFrom<IDictionary>(actual);
                Xunit.Assert.Equal(e.Keys.Cast<object>(), ad.Keys.Cast<object>());
                foreach (var key in e.Keys) Assert(e[key], ad[key], $"{where}[{key}]");
                break;
            case ITuple e:
                var at = Xunit.Assert.IsAssignableFrom<ITuple>(actual);
                Xunit.Assert.Equal(e.Length, at.Length);
                for (int i = 0; i < e.Length; i++) Assert(e[i], at[i], $"{where}[{i}]");
                break;
            case IList e:
                var al = Xunit.Assert.IsAssignableFrom<IList>(actual);
                Xunit.Assert.Equal(e.Count, al.Count);
                for (int i = 0; i < e.Count; i++) Assert(e[i], al[i], $"{where}[{i}]");
                break;
            default:
                Xunit.Assert.Equal(expected, actual);
                break;
        }
    }

    private static long Number(object? value) => value switch
    {
        SymInt s => (long)s,
        long l => l,
        int i => i,
        _ => throw new Xunit.Sdk.XunitException($"Expected a number, got {value ?? "null"}."),
    };
}
