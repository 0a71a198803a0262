using Graphport.Kernels.Codegen;

namespace Graphport.Kernels.Planning;

/// <summary>
/// Merges a pointwise kernel into the reduction or normalization that produced its input, when that input is
/// read by nothing else and element for element (same shape, same coordinates): the pointwise stores become the
/// anchor's epilogue, with the anchor's result in place of the load, and the intermediate buffer disappears.
/// Repeats until nothing changes, so chains (mean → mul → add) fold in one after another.
/// </summary>
internal static class EpilogueFusion
{
    public static List<KernelStep> Apply(IReadOnlyList<KernelStep> input, IReadOnlySet<BufferRef> outputs)
    {
        var steps = input.ToList();
        bool changed = true;
        while (changed)
        {
            changed = false;
            for (int j = 0; j < steps.Count && !changed; j++)
            {
                if (steps[j] is not PointwiseKernel consumer) continue;
                for (int a = j - 1; a >= 0 && !changed; a--)
                {
                    if (steps[a] is not (ReductionKernel or NormKernel)) continue;
                    if (TryMerge(steps, a, j, consumer, outputs) is { } merged)
                    {
                        steps[a] = merged;
                        steps.RemoveAt(j);
                        changed = true;
                    }
                }
            }
        }
        return steps;
    }

    private static KernelStep? TryMerge(List<KernelStep> steps, int anchorIndex, int consumerIndex, PointwiseKernel consumer, IReadOnlySet<BufferRef> outputs)
    {
        var anchor = steps[anchorIndex];
        var (epilogue, coordinates, shape) = anchor switch
        {
            ReductionKernel r => (r.Epilogue, r.OutputCoordinates, r.OutputShape),
            NormKernel n => (n.Epilogue, n.OutputCoordinates, n.OutputShape),
            _ => throw new InvalidOperationException(),
        };
        if (epilogue.Count != 1) return null;
        var produced = epilogue[0].Buffer;
        if (produced.Kind != BufferKind.Intermediate || !consumer.Reads().Contains(produced)) return null;
        if (!consumer.Space.Shape.SequenceEqual(shape)) return null;
        // The intermediate must have no other reader and must not be a program output (outputs are read after the last step).
        for (int s = 0; s < steps.Count; s++)
            if (s != consumerIndex && s != anchorIndex && steps[s].Reads().Contains(produced)) return null;
        if (outputs.Contains(produced)) return null;
        // Moving the consumer up to the anchor must not cross a step that writes what it reads or touches what it writes.
        var consumerReads = consumer.Reads().Where(b => b != produced).ToHashSet();
        var consumerWrites = consumer.Writes().ToHashSet();
        for (int s = anchorIndex + 1; s < consumerIndex; s++)
        {
            if (steps[s].Writes().Any(consumerReads.Contains) || steps[s].Writes().Any(consumerWrites.Contains) || steps[s].Reads().Any(consumerWrites.Contains)) return null;
        }
        var identity = consumer.Space.LinearVar;
        var identityCoordinates = IndexExpr.Linearize(consumer.Space.Coordinates, consumer.Space.ContiguousStrides);
        bool elementwise = consumer.Stores.All(st => ExprWalker.Nodes(st.Value).OfType<LoadExpr>().Where(l => l.Buffer == produced)
            .All(l => l.Index.Equals(identity) || l.Index.Equals(identityCoordinates)))
            && consumer.Stores.All(st => !ExprWalker.Buffers(st.Index).Contains(produced));
        if (!elementwise || ReadsAsIndex(consumer, produced)) return null;

        var outLinear = IndexExpr.Linearize(coordinates, StridedView.ContiguousStrides(shape));
        IndexExpr? Map(IndexVar v)
        {
            if (v.Name == consumer.Space.Linear) return outLinear;
            if (v.Name.StartsWith(consumer.Space.Prefix, StringComparison.Ordinal) && int.TryParse(v.Name.AsSpan(consumer.Space.Prefix.Length), out var k)) return coordinates[k];
            return null;
        }
        var anchorValue = epilogue[0].Value;
        var stores = consumer.Stores.Select(st => new Store(st.Buffer, ExprWalker.Substitute(st.Index, Map),
            ExprWalker.Rewrite(st.Value, Map, l => l.Buffer == produced ? anchorValue : null))).ToList();
        var comment = $"{anchor.Comment}; then {consumer.Comment}";
        var name = $"{anchor.Name}_{consumer.Name}";
        return anchor switch
        {
            ReductionKernel r => r with { Epilogue = stores, Name = name, Comment = comment },
            NormKernel n => n with { Epilogue = stores, Name = name, Comment = comment },
            _ => null,
        };
    }

    /// <summary>
    /// Whether the consumer reads the buffer inside an index (a gather by the anchor's result, as max.dim's indices
    /// pick a window's position): the substitution replaces value loads only, so such a consumer must not merge.
    /// </summary>
    private static bool ReadsAsIndex(PointwiseKernel consumer, BufferRef produced) =>
        consumer.Stores.Any(st => ExprWalker.Nodes(st.Value).Any(n => n switch
        {
            LoadExpr l => ExprWalker.Buffers(l.Index).Contains(produced),
            IndexValueExpr v => ExprWalker.Buffers(v.Index).Contains(produced),
            InRangeExpr r => ExprWalker.Buffers(r.Index).Contains(produced),
            _ => false,
        }));
}
