using System.Collections;
using System.Runtime.CompilerServices;

namespace Graphport.ExportDB;

/// <summary>
/// Deep-copies argument structures (tensors inside arrays, lists, dictionaries and tuples). Eager and exported
/// runs each get their own copy, so an in-place write by one is not seen by the other, and both start from the
/// same values without drawing new random numbers.
/// </summary>
public static class ArgumentCopier
{
    public static object?[] Copy(object?[] args) => args.Select(Copy).ToArray();

    public static object? Copy(object? value)
    {
        switch (value)
        {
            case null:
                return null;
            case Tensor t:
                return t.Clone();
            case Array array:
                var newArray = Array.CreateInstance(array.GetType().GetElementType()!, array.Length);
                for (int i = 0; i < array.Length; i++) newArray.SetValue(Copy(array.GetValue(i)), i);
                return newArray;
            case IDictionary dict:
                var newDict = (IDictionary)Activator.CreateInstance(value.GetType())!;
                foreach (DictionaryEntry e in dict) newDict[e.Key] = Copy(e.Value);
                return newDict;
            case ITuple tuple when value.GetType().IsValueType || value.GetType().Name.StartsWith("Tuple`", StringComparison.Ordinal):
                var items = Enumerable.Range(0, tuple.Length).Select(i => Copy(tuple[i])).ToArray();
                return Activator.CreateInstance(value.GetType(), items)!;
            case IList list when value.GetType().IsGenericType:
                var newList = (IList)Activator.CreateInstance(value.GetType())!;
                foreach (var item in list) newList.Add(Copy(item));
                return newList;
            default:
                // Numbers, strings, enums: immutable, shared as they are.
                return value;
        }
    }
}
