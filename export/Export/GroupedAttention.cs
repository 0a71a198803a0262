using Graphport.Graphs;

namespace Graphport;

/// <summary>
/// scaled_dot_product_attention whose key and value are each repeated per query group before it, as transformers'
/// repeat_kv writes grouped-query attention (Llama, Mistral, Qwen2): reshape(expand(unsqueeze(kv, 2), [b, h, g, L, d]),
/// [b, h·g, L, d]) (or a clone and a view in the reshape's place), each step read by the next alone. A frozen module runs the attention on the unrepeated key and
/// value with enable_gqa (query head i reads key/value head i / g, the same pairs), and the repeat's nodes hand on
/// their input: a decoding step no longer copies its whole key/value cache g times per layer.
/// </summary>
internal sealed record GroupedAttention(Node Attention, Node Key, Node Value, IReadOnlyList<Node> RepeatNodes)
{
    private const string Attention_ = "aten::scaled_dot_product_attention";

    /// <summary>The pattern whose attention is this node, or null.</summary>
    public static GroupedAttention? At(Node attention)
    {
        if (attention.Op?.Name != Attention_ || attention.Args.Length < 3 || attention.Args.Length > 6) return null;
        if (attention.Kwargs.TryGetValue("enable_gqa", out var grouped) && grouped is not false) return null;
        if (attention.Args[0] is not Node { Value: TensorMeta { Shape.Length: 4 } query }) return null;
        if (attention.Args[1] is not Node keyRepeat || attention.Args[2] is not Node valueRepeat || ReferenceEquals(keyRepeat, valueRepeat)) return null;
        if (Unrepeated(keyRepeat, query) is not var (key, keyNodes, keyGroups) || Unrepeated(valueRepeat, query) is not var (value, valueNodes, valueGroups)) return null;
        return keyGroups == valueGroups ? new GroupedAttention(attention, key, value, [.. keyNodes, .. valueNodes]) : null;
    }

    // The tensor a repeat_kv chain repeats, its three nodes, and the group size; null when the node is not one.
    private static (Node Source, Node[] Nodes, long Groups)? Unrepeated(Node reshape, TensorMeta query)
    {
        if (reshape.Op?.Name is not ("aten::reshape" or "aten::view" or "aten::_unsafe_view") || reshape.Users.Count != 1) return null;
        if (reshape.Value is not TensorMeta { Shape.Length: 4 } repeated || reshape.Args.ElementAtOrDefault(0) is not Node expand) return null;
        // A reshape of the expanded view may be recorded as a clone and a view of it (what torch.export writes too).
        Node? clone = null;
        if (expand.Op?.Name == "aten::clone" && expand.Users.Count == 1 && expand.Args.ElementAtOrDefault(0) is Node cloned)
            (clone, expand) = (expand, cloned);
        if (expand.Op?.Name != "aten::expand" || expand.Users.Count != 1 || expand.Value is not TensorMeta { Shape.Length: 5 } expanded) return null;
        if (expand.Args.ElementAtOrDefault(0) is not Node unsqueeze || unsqueeze.Op?.Name != "aten::unsqueeze" || unsqueeze.Users.Count != 1) return null;
        if (unsqueeze.Args.ElementAtOrDefault(1) is not (long and 2 or int and 2)) return null;
        if (unsqueeze.Args[0] is not Node { Value: TensorMeta { Shape.Length: 4 } source } sourceNode) return null;
        var (s, e, r) = (source.Shape, expanded.Shape, repeated.Shape);
        if (e[2].IsSymbolic || e[1].IsSymbolic || r[1].IsSymbolic || query.Shape[1].IsSymbolic) return null;
        long heads = e[1].Hint, groups = e[2].Hint;
        bool sameBatchAndRows = e[0].Equals(s[0]) && e[3].Equals(s[2]) && e[4].Equals(s[3]) && r[0].Equals(s[0]) && r[2].Equals(s[2]) && r[3].Equals(s[3]);
        if (!sameBatchAndRows || !s[1].Equals(e[1]) || r[1].Hint != heads * groups || query.Shape[1].Hint != heads * groups || source.DType != query.DType) return null;
        return (sourceNode, clone is null ? [unsqueeze, expand, reshape] : [unsqueeze, expand, clone, reshape], groups);
    }
}
