using System.Collections;
using System.Runtime.CompilerServices;
using Graphport.Serialization;

namespace Graphport.Tests.Serialization;

/// <summary>Equality of tensors to the bit, and of program results (tensors inside their C# containers).</summary>
internal static class TensorAssert
{
    /// <summary>Same dtype, sizes, strides, offset and the same bytes in the whole storage.</summary>
    public static void BitIdentical(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.DType, actual.DType);
        Assert.Equal(expected.Shape.ToString(), actual.Shape.ToString());
        Assert.Equal(expected.Strides, actual.Strides);
        Assert.Equal(expected.StorageOffset, actual.StorageOffset);
        var a = StorageBytes.Window(expected.Storage, 0, checked((int)StorageBytes.Length(expected.Storage)));
        var b = StorageBytes.Window(actual.Storage, 0, checked((int)StorageBytes.Length(actual.Storage)));
        Assert.True(a.SequenceEqual(b), $"{what}: the stored bytes differ.");
    }
}

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

/// <summary>Structural equality of tree specs (their child lists are compared item by item).</summary>
internal sealed class TreeEquality : IEqualityComparer<TreeSpec>
{
    public static readonly TreeEquality Instance = new();

    public bool Equals(TreeSpec? x, TreeSpec? y) => (x, y) switch
    {
        (TensorLeaf, TensorLeaf) => true,
        (ConstantLeaf a, ConstantLeaf b) => Equals(a.Value, b.Value) || a.Value?.ToString() == b.Value?.ToString(),
        (SequenceNode a, SequenceNode b) => a.ContainerType == b.ContainerType && a.Children.Count == b.Children.Count && a.Children.Zip(b.Children).All(p => Equals(p.First, p.Second)),
        (MappingNode a, MappingNode b) => a.ContainerType == b.ContainerType && a.Keys.SequenceEqual(b.Keys) && a.Children.Count == b.Children.Count && a.Children.Zip(b.Children).All(p => Equals(p.First, p.Second)),
        _ => false,
    };

    public int GetHashCode(TreeSpec obj) => obj.LeafCount;
}
