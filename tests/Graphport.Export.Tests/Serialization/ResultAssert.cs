using System.Collections;
using System.Runtime.CompilerServices;

namespace Graphport.Tests.Serialization;

/// <summary>Equality of program results: tensors value for value inside the same C# containers.</summary>
internal static class ResultAssert
{
    public static void Equal(object? expected, object? actual)
    {
        switch (expected)
        {
            case Tensor t:
                var u = Assert.IsAssignableFrom<Tensor>(actual);
                Assert.Equal(t.DType, u.DType);
                Assert.Equal(t.Shape.ToString(), u.Shape.ToString());
                Assert.True(t.AllClose(u, 0, 0), $"values differ:\n{t}\n{u}");
                break;
            case null:
                Assert.Null(actual);
                break;
            case ITuple tuple:
                var other = Assert.IsAssignableFrom<ITuple>(actual);
                Assert.Equal(expected.GetType(), actual!.GetType());
                Assert.Equal(tuple.Length, other.Length);
                for (int i = 0; i < tuple.Length; i++) Equal(tuple[i], other[i]);
                break;
            case IDictionary dict:
                var otherDict = Assert.IsAssignableFrom<IDictionary>(actual);
                Assert.Equal(expected.GetType(), actual!.GetType());
                Assert.Equal(dict.Keys.Cast<object>(), otherDict.Keys.Cast<object>());
                foreach (DictionaryEntry e in dict) Equal(e.Value, otherDict[e.Key]);
                break;
            case IList list:
                var otherList = Assert.IsAssignableFrom<IList>(actual);
                Assert.Equal(expected.GetType(), actual!.GetType());
                Assert.Equal(list.Count, otherList.Count);
                for (int i = 0; i < list.Count; i++) Equal(list[i], otherList[i]);
                break;
            default:
                Assert.Equal(expected, actual);
                break;
        }
    }
}
