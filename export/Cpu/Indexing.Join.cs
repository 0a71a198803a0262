namespace Graphport.Cpu;

public static partial class Indexing
{
    /// <summary>cat along <paramref name="dim"/>; all inputs share every other size. Legacy 1-D empty inputs ([0]) are skipped as torch does.</summary>
    public static Dense<T> Cat<T>(IReadOnlyList<(T[] Data, StridedLayout Layout)> inputs, int dim) where T : unmanaged
    {
        const string k = "Indexing.Cat";
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count == 0)
            throw new ArgumentException($"{k}: no inputs; expected at least one tensor", nameof(inputs));
        for (int i = 0; i < inputs.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(inputs[i].Data, $"inputs[{i}].Data");
            inputs[i].Layout.Validate(inputs[i].Data.Length, k, $"inputs[{i}]");
        }
        var used = inputs.Where(t => !(t.Layout.Rank == 1 && t.Layout.Shape[0] == 0)).ToList();
        if (used.Count == 0) return new Dense<T>([], [0]);
        var first = used[0].Layout;
        if (first.Rank == 0)
            throw new ArgumentException($"{k}: zero-dimensional inputs cannot be concatenated; expected rank >= 1", nameof(inputs));
        int d = ShapeMath.NormalizeDim(dim, first.Rank, nameof(dim));
        long total = 0;
        for (int i = 0; i < used.Count; i++)
        {
            var l = used[i].Layout;
            if (l.Rank != first.Rank)
                throw new ArgumentException($"{k}: input {inputs.ToList().IndexOf(used[i])} has rank {l.Rank} but the first has rank {first.Rank}; expected equal ranks", nameof(inputs));
            for (int j = 0; j < first.Rank; j++)
                if (j != d && l.Shape[j] != first.Shape[j])
                    throw new ArgumentException($"{k}: input {inputs.ToList().IndexOf(used[i])} has shape {ShapeMath.Format(l.Shape)} but the first has {ShapeMath.Format(first.Shape)}; expected equal sizes except at dim {d}", nameof(inputs));
            total += l.Shape[d];
        }
        var outShape = (long[])first.Shape.Clone();
        outShape[d] = total;
        var output = RunBuffers.Allocate<T>(ShapeMath.Numel(outShape), clear: false);
        var outLayout = StridedLayout.Contiguous(outShape);
        long at = 0;
        foreach (var (data, layout) in used)
        {
            StridedCopy.CopyUnchecked(data, layout, output, outLayout.Narrow(d, at, layout.Shape[d]));
            at += layout.Shape[d];
        }
        return new Dense<T>(output, outShape);
    }

    /// <summary>stack: inputs of one shape joined along a new dim <paramref name="dim"/> (in [−rank−1, rank]).</summary>
    public static Dense<T> Stack<T>(IReadOnlyList<(T[] Data, StridedLayout Layout)> inputs, int dim) where T : unmanaged
    {
        const string k = "Indexing.Stack";
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count == 0)
            throw new ArgumentException($"{k}: no inputs; expected at least one tensor", nameof(inputs));
        var shape = inputs[0].Layout.Shape;
        for (int i = 1; i < inputs.Count; i++)
            if (!inputs[i].Layout.Shape.AsSpan().SequenceEqual(shape))
                throw new ArgumentException($"{k}: input {i} has shape {ShapeMath.Format(inputs[i].Layout.Shape)} but input 0 has {ShapeMath.Format(shape)}; expected every input to have the same shape", nameof(inputs));
        int rank = shape.Length;
        if (dim < -(rank + 1) || dim > rank)
            throw new ArgumentException($"{k}: dim {dim} is out of range for inserting into rank {rank}; expected -{rank + 1} <= dim <= {rank}", nameof(dim));
        int d = dim < 0 ? dim + rank + 1 : dim;
        return Cat(inputs.Select(t => (t.Data, t.Layout.Unsqueeze(d))).ToList(), d);
    }
}
