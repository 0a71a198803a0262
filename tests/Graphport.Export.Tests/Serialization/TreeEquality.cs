namespace Graphport.Tests.Serialization;

/// <summary>Structural equality of tree specs (their child lists are compared item by item).</summary>
internal sealed class TreeEquality : IEqualityComparer<TreeSpec>
{
    public static readonly TreeEquality Instance = new();

    public bool Equals(TreeSpec? x, TreeSpec? y) => (x, y) switch
    {
        (TensorLeaf, TensorLeaf) => true,
        (SymIntLeaf, SymIntLeaf) => true,
        (ConstantLeaf a, ConstantLeaf b) => Equals(a.Value, b.Value) || a.Value?.ToString() == b.Value?.ToString(),
        (SequenceNode a, SequenceNode b) => a.ContainerType == b.ContainerType && a.Children.Count == b.Children.Count && a.Children.Zip(b.Children).All(p => Equals(p.First, p.Second)),
        (MappingNode a, MappingNode b) => a.ContainerType == b.ContainerType && a.Keys.SequenceEqual(b.Keys) && a.Children.Count == b.Children.Count && a.Children.Zip(b.Children).All(p => Equals(p.First, p.Second)),
        _ => false,
    };

    public int GetHashCode(TreeSpec obj) => obj.LeafCount;
}
