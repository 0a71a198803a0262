using Graphport.Graphs;

namespace Graphport;

/// <summary>
/// A select, slice, unsqueeze, squeeze or permute whose input and output shapes are static, with its arguments
/// normalized once (negative dims and indices wrapped, slice bounds clamped): a frozen module makes the view straight
/// from its input's strides, without binding, meta and dispatch. An importer's graph is full of them (Silero VAD's
/// LSTM cell: 30 of its 68 ops), and on a small model their per-call machinery cost more than its arithmetic. The view
/// is the one the op makes: same sizes, strides, offset and storage.
/// </summary>
internal sealed class StaticView
{
    private enum Kind { Select, Slice, Unsqueeze, Squeeze, Permute }

    private readonly Kind kind;
    private readonly long[] inputSizes;
    private readonly long[] outputSizes;
    // Select and slice: the dim, the (first) index and the step; unsqueeze: the new dim; squeeze and permute: the dims.
    private readonly int dim;
    private readonly long start;
    private readonly long step;
    private readonly int[] dims;

    private StaticView(Kind kind, long[] inputSizes, long[] outputSizes, int dim = 0, long start = 0, long step = 1, int[]? dims = null)
    {
        this.kind = kind;
        this.inputSizes = inputSizes;
        this.outputSizes = outputSizes;
        this.dim = dim;
        this.start = start;
        this.step = step;
        this.dims = dims ?? [];
    }

    /// <summary>The view a node makes, when it is one of these ops with positional arguments and static shapes; else null.</summary>
    public static StaticView? Of(Node node)
    {
        if (node.Op?.Name is not { } name || node.Kwargs.Count != 0) return null;
        if (node.Args.ElementAtOrDefault(0) is not Node { Value: TensorMeta input } || node.Value is not TensorMeta output) return null;
        if (input.Shape.Any(s => s.IsSymbolic) || output.Shape.Any(s => s.IsSymbolic)) return null;
        long[] inSizes = [.. input.Shape.Select(s => s.Hint)], outSizes = [.. output.Shape.Select(s => s.Hint)];
        int rank = inSizes.Length;
        int Wrap(long d, int extent) => (int)(d < 0 ? d + extent : d);
        switch (name)
        {
            case "aten::select.int" when node.Args.Length == 3 && Number(node.Args[1]) is long d && Number(node.Args[2]) is long index && rank > 0:
            {
                int at = Wrap(d, rank);
                long i = index < 0 ? index + inSizes[at] : index;
                return i >= 0 && i < inSizes[at] ? new StaticView(Kind.Select, inSizes, outSizes, at, i) : null;
            }
            case "aten::slice.Tensor" when rank > 0 && node.Args.Length <= 5 && node.Args.Skip(1).All(a => a is null || Number(a) is not null):
            {
                int at = Wrap(node.Args.Length > 1 ? Number(node.Args[1]) ?? 0 : 0, rank);
                long size = inSizes[at];
                long step = node.Args.Length > 4 ? Number(node.Args[4]) ?? 1 : 1;
                long first = node.Args.Length > 2 ? Number(node.Args[2]) ?? 0 : 0;
                if (first < 0) first += size;
                first = Math.Clamp(first, 0, size);
                return step > 0 && outSizes[at] >= 0 ? new StaticView(Kind.Slice, inSizes, outSizes, at, first, step) : null;
            }
            case "aten::unsqueeze" when node.Args.Length == 2 && Number(node.Args[1]) is long d:
                return new StaticView(Kind.Unsqueeze, inSizes, outSizes, Wrap(d, rank + 1));
            case "aten::squeeze.dims" or "aten::squeeze.dim" or "aten::squeeze":
            {
                // The dims that go: those named (or all) of size 1, as the traced shapes say.
                var named = name == "aten::squeeze" ? Enumerable.Range(0, rank)
                    : NodeArgs.Longs(node.Args.ElementAtOrDefault(1)) is { } list ? list.Select(d => Wrap(d, Math.Max(rank, 1)))
                    : null;
                if (named is null) return null;
                int[] gone = [.. named.Where(d => d < rank && inSizes[d] == 1).Distinct().Order()];
                return rank - gone.Length == outSizes.Length ? new StaticView(Kind.Squeeze, inSizes, outSizes, dims: gone) : null;
            }
            case "aten::permute" when NodeArgs.Longs(node.Args.ElementAtOrDefault(1)) is { } order && order.Length == rank:
                return new StaticView(Kind.Permute, inSizes, outSizes, dims: [.. order.Select(d => Wrap(d, rank))]);
            default:
                return null;
        }
    }

    // A fixed integer argument (a number, or a size that is not symbolic); null for anything else.
    private static long? Number(object? arg) => arg switch
    {
        long l => l,
        int i => i,
        SymInt { IsSymbolic: false } s => s.Hint,
        _ => null,
    };

    /// <summary>The view of <paramref name="input"/>, or null when it is not a real tensor of the traced shape (the op then runs, for its message).</summary>
    public Tensor? Apply(Tensor input)
    {
        if (input.IsFake || !input.Sizes.AsSpan().SequenceEqual(inputSizes)) return null;
        long[] strides = input.strides;
        long offset = input.offset;
        var outStrides = new long[outputSizes.Length];
        switch (kind)
        {
            case Kind.Select:
                offset += start * strides[dim];
                for (int d = 0, o = 0; d < strides.Length; d++) if (d != dim) outStrides[o++] = strides[d];
                break;
            case Kind.Slice:
                offset += start * strides[dim];
                strides.CopyTo(outStrides, 0);
                outStrides[dim] = strides[dim] * step;
                break;
            case Kind.Unsqueeze:
                for (int d = 0, i = 0; d < outStrides.Length; d++)
                    outStrides[d] = d == dim ? (dim < strides.Length ? inputSizes[dim] * strides[dim] : 1) : strides[i++];
                break;
            case Kind.Squeeze:
                for (int d = 0, o = 0; d < strides.Length; d++) if (Array.BinarySearch(dims, d) < 0) outStrides[o++] = strides[d];
                break;
            case Kind.Permute:
                for (int d = 0; d < dims.Length; d++) outStrides[d] = strides[dims[d]];
                break;
        }
        return new Tensor(input.Storage, (long[])outputSizes.Clone(), outStrides, offset);
    }
}
