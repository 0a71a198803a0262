using Graphport.Graphs;

namespace Graphport;

/// <summary>
/// A mixture of experts written as a loop over its experts (Granite-MoE's and JetMoE's ParallelExperts): the row
/// count of each expert is read out of a counts tensor (<c>counts.tolist()</c>, one <c>_local_scalar_dense</c> per
/// expert, the last often written as the rows minus the others), the tokens sorted by expert are split by those
/// counts, each run is multiplied by its expert's weight and the products are concatenated:
/// cat([mm(run_g, W[g]ᵀ) for g], 0). Re-traced for a device (<see cref="ExportedProgram.RunDecompositions(DecompositionTable?, bool, bool)"/>
/// with groupedExperts) as one <c>graphport::split_mm_cat(tokens, W.permute(0, 2, 1), cumsum(counts))</c>: the result
/// has the tokens' rows however they split, so a plan sizes its buffers without reading the counts on the host, and
/// the checks torch made on the counts (each at least 0, all adding up to the rows) are the op's, made where it runs.
/// </summary>
/// <param name="Cat">The concatenation the op replaces.</param>
/// <param name="Tokens">The split tensor, (rows, k).</param>
/// <param name="Weight">The experts' weights, (groups, n, k) when <paramref name="Transposed"/> (each run times W[g]ᵀ,
/// a linear layer's layout), else (groups, k, n).</param>
/// <param name="Counts">The 1-D integer tensor the counts were read from, one per group.</param>
internal sealed record ExpertSplitMatmul(Node Cat, Node Tokens, Node Weight, bool Transposed, Node Counts)
{
    /// <summary>
    /// The graph's expert loops, by their concatenation, and the nodes a re-trace leaves out with them: the counts'
    /// reads, the size arithmetic and assertions on them, the splits, runs and products. Empty unless every node
    /// that depends on the counts read is one of those: a count used anywhere else (an output, another op's size)
    /// still has to be read, and then nothing is gained.
    /// </summary>
    public static (IReadOnlyDictionary<Node, ExpertSplitMatmul> Loops, IReadOnlySet<Node> Replaced) Find(Graph graph)
    {
        (IReadOnlyDictionary<Node, ExpertSplitMatmul>, IReadOnlySet<Node>) none = (new Dictionary<Node, ExpertSplitMatmul>(), new HashSet<Node>());
        var loops = new Dictionary<Node, ExpertSplitMatmul>();
        var reads = new HashSet<Node>();
        var parts = new HashSet<Node>();
        foreach (var node in graph.Nodes)
            if (Match(node, reads, parts) is { } loop) loops[node] = loop;
        if (loops.Count == 0) return none;
        var replaced = new HashSet<Node>();
        var work = new Queue<Node>(reads);
        while (work.TryDequeue(out var n))
        {
            if (loops.ContainsKey(n) || !replaced.Add(n)) continue;
            bool allowed = reads.Contains(n) || parts.Contains(n) || n.Kind == NodeKind.CallFunction && n.Target is BuiltinTarget
                || n.Op?.Name is "aten::_assert_scalar" or "aten::sym_constrain_range_for_size" or "aten::sym_constrain_range";
            if (!allowed) return none;
            foreach (var user in n.Users) work.Enqueue(user);
        }
        // The op reads the tokens, weights and counts as the program computes them: none may hang on a count read.
        return loops.Values.Any(l => replaced.Contains(l.Tokens) || replaced.Contains(l.Weight) || replaced.Contains(l.Counts)) ? none : (loops, replaced);
    }

    // cat([mm(getitem(split_with_sizes(tokens, counts), g), weight g) for g in order], 0); the reads of the counts and the
    // split, its runs and the products go into reads and parts.
    private static ExpertSplitMatmul? Match(Node cat, HashSet<Node> reads, HashSet<Node> parts)
    {
        if (cat.Op?.Name != "aten::cat" || cat.Args.ElementAtOrDefault(0) is not object?[] { Length: > 0 } products) return null;
        if (cat.Args.ElementAtOrDefault(1) is not (null or 0L or 0) || cat.Value is not TensorMeta { Shape.Length: 2 }) return null;
        Node? split = null, weight = null;
        bool transposed = false;
        var runs = new List<Node>();
        for (int g = 0; g < products.Length; g++)
        {
            if (products[g] is not Node { Op.Name: "aten::mm" } product || product.Users.Count != 1) return null;
            if (product.Args[0] is not Node { Target: BuiltinTarget { Name: "operator.getitem" } } run || run.Args[1] is not (long or int) || Convert.ToInt64(run.Args[1]) != g) return null;
            if (run.Args[0] is not Node runOf || (split ??= runOf) != runOf || run.Users.Count != 1) return null;
            if (ExpertWeight(product.Args[1], g) is not var (w, t) || (weight ??= w) != w || (g > 0 && t != transposed)) return null;
            transposed = t;
            runs.Add(run);
        }
        if (split is not { Op.Name: "aten::split_with_sizes" } || split.Args.ElementAtOrDefault(2) is not (null or 0L or 0)) return null;
        if (split.Args[0] is not Node { Value: TensorMeta { Shape.Length: 2 } tokensMeta } tokens || split.Args[1] is not object?[] sizes || sizes.Length != products.Length) return null;
        if (split.Users.Count != products.Length || weight is not { Value: TensorMeta { Shape.Length: 3 } weightMeta } || weightMeta.Shape[0].AsConstant != products.Length) return null;
        if (CountReads(sizes, tokensMeta.Shape[0]) is not var (counts, countReads)) return null;
        reads.UnionWith(countReads);
        parts.Add(split);
        parts.UnionWith(runs);
        parts.UnionWith(products.Cast<Node>());
        return new ExpertSplitMatmul(cat, tokens, weight, transposed, counts);
    }

    // The weight of group g as a product reads it: W[g] ((groups, k, n)), or W[g] transposed ((groups, n, k), a linear's).
    private static (Node Weight, bool Transposed)? ExpertWeight(object? operand, long g)
    {
        bool transposed = false;
        if (operand is Node { Op.Name: "aten::permute" } permute && permute.Args[1] is object?[] { Length: 2 } order
            && Convert.ToInt64(order[0]) == 1 && Convert.ToInt64(order[1]) == 0)
            (operand, transposed) = (permute.Args[0], true);
        if (operand is not Node { Op.Name: "aten::select.int" } select || Convert.ToInt64(select.Args[1]) != 0 || Convert.ToInt64(select.Args[2]) != g) return null;
        return select.Args[0] is Node weight ? (weight, transposed) : null;
    }

    // The split's sizes as counts read from one tensor: size g is _local_scalar_dense(counts[g]); the last may instead be
    // the rows minus the others (torch writes it so once it knows they add up to the rows).
    private static (Node Counts, List<Node> Reads)? CountReads(object?[] sizes, SymInt rows)
    {
        Node? counts = null;
        var reads = new List<Node>();
        SymInt covered = 0;
        for (int g = 0; g < sizes.Length; g++)
        {
            if (sizes[g] is Node { Op.Name: "aten::_local_scalar_dense", Value: SymInt size } read && read.Args[0] is Node { Op.Name: "aten::select.int" } select
                && select.Args[0] is Node { Value: TensorMeta { Shape.Length: 1 } countsMeta } source && Convert.ToInt64(select.Args[1]) == 0 && Convert.ToInt64(select.Args[2]) == g
                && (counts ??= source) == source && countsMeta.Shape[0].AsConstant == sizes.Length && countsMeta.DType.IsIntegral(includeBool: false))
            {
                reads.Add(read);
                covered += size;
                continue;
            }
            // The last size as the rest: rows minus the counts before it, where the program reads the last count too
            // (and torch then asserts that all of them add up to the rows, which the op checks instead).
            if (g == sizes.Length - 1 && g > 0 && sizes[g] is Node { Value: SymInt rest } && (rest + covered - rows).AsConstant == 0
                && LastRead(counts!, g) is { } last)
            {
                reads.Add(last);
                continue;
            }
            return null;
        }
        return counts is null ? null : (counts, reads);
    }

    private static Node? LastRead(Node counts, long g) => counts.Users
        .Where(s => s.Op?.Name == "aten::select.int" && Convert.ToInt64(s.Args[1]) == 0 && Convert.ToInt64(s.Args[2]) == g)
        .SelectMany(s => s.Users).FirstOrDefault(r => r.Op?.Name == "aten::_local_scalar_dense");
}
