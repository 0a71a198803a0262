using Graphport.Operators;

namespace Graphport;

/// <summary>
/// Einsum, lowered as torch's einsum is: size-1 dims that broadcast against another operand are dropped, repeated
/// labels within an operand become diagonals, labels no other operand or the output uses are summed at once, then
/// the operands are contracted left to right, each pair permuted into [batch, kept, summed] × [batch, summed, kept],
/// folded to three dims and multiplied with bmm (mm without batch labels; mul when nothing is summed), and the
/// result is unfolded and permuted into the output's order. Folded sizes are SymInt products, so batch dims stay
/// symbolic. aten.einsum and ONNX's Einsum both lower here.
/// </summary>
internal static class EinsumLowering
{
    /// <summary>The product <paramref name="text"/> describes; <paramref name="fail"/> makes the error for a bad
    /// equation or operands from a phrase saying what the call does wrong ("repeats the label 'i' ...").</summary>
    public static Tensor Lower(string text, Tensor[] tensors, Func<string, Exception> fail)
    {
        var equation = EinsumEquation.Parse(text, tensors.Select(x => x.Ndim).ToArray(), problem => fail($"has the equation '{text}', which {problem}"));
        var operands = DropBroadcastDims(fail, tensors.Select((x, i) => new EinsumOperand(x, equation.Operands[i])).ToArray());

        // Pairs are laid out in output order, then the summed labels in order of first use, so the result rarely needs a permute.
        var order = new Dictionary<int, int>();
        foreach (var label in equation.Output.Concat(operands.SelectMany(o => o.Labels))) order.TryAdd(label, order.Count);
        var output = equation.Output.ToHashSet();
        for (int i = 0; i < operands.Length; i++)
        {
            var others = operands.Where((_, j) => j != i).SelectMany(o => o.Labels);
            operands[i] = EinsumSum(TakeDiagonals(operands[i]), output.Concat(others).ToHashSet());
        }
        var result = operands[0];
        for (int i = 1; i < operands.Length; i++)
        {
            var keep = output.Concat(operands.Skip(i + 1).SelectMany(o => o.Labels)).ToHashSet();
            result = Contract(result, operands[i], keep, order);
        }
        return EinsumPermute(result, equation.Output).Tensor;
    }

    /// <summary>A tensor whose dims are named by Einsum labels.</summary>
    private sealed record EinsumOperand(Tensor Tensor, int[] Labels)
    {
        public SymInt Size(int label) => Tensor.Shape[Array.IndexOf(Labels, label)];
    }

    /// <summary>
    /// Checks that a label repeated within an operand has equal sizes and that each label's dims agree across operands
    /// (equal, or 1 where another operand's dim is larger), and drops the size-1 dims
    /// that broadcast, so later steps see each label with one size. A symbolic size is taken as not 1, as torch's size-oblivious rules do.
    /// </summary>
    private static EinsumOperand[] DropBroadcastDims(Func<string, Exception> fail, EinsumOperand[] operands)
    {
        for (int i = 0; i < operands.Length; i++)
        {
            var (tensor, labels) = operands[i];
            for (int d1 = 0; d1 < labels.Length; d1++)
            {
                int d2 = Array.IndexOf(labels, labels[d1], d1 + 1);
                if (d2 < 0) continue;
                SymInt first = tensor.Shape[d1], second = tensor.Shape[d2];
                // A diagonal needs equal sizes; a symbolic pair is guarded equal, as torch's einsum checks it.
                if (!first.Equals(second) && !(bool)(first == second))
                    throw fail($"repeats the label '{EinsumEquation.Name(labels[d1])}' in input {i} over dims of sizes {first} and {second}; a repeated label takes the diagonal, which needs equal sizes");
            }
        }

        var dims = operands.SelectMany((o, i) => o.Labels.Select((label, d) => (Input: i, Label: label, Size: o.Tensor.Shape[d]))).ToList();
        var broadcast = new HashSet<int>();
        foreach (var group in dims.GroupBy(x => x.Label))
        {
            var sized = group.Where(x => x.Size.AsConstant is not (null or 1)).ToList();
            foreach (var x in sized.Where(x => x.Size.AsConstant != sized[0].Size.AsConstant).Take(1))
                throw fail($"gives the label '{EinsumEquation.Name(group.Key)}' size {sized[0].Size} in input {sized[0].Input} and size {x.Size} in input {x.Input}; " +
                    "dims with the same label must be equal, or 1 to broadcast");
            if (group.Any(x => x.Size.AsConstant != 1)) broadcast.Add(group.Key);
        }
        return operands.Select(o =>
        {
            var drop = Enumerable.Range(0, o.Labels.Length).Where(d => broadcast.Contains(o.Labels[d]) && o.Tensor.Shape[d].AsConstant == 1).ToArray();
            if (drop.Length == 0) return o;
            return new EinsumOperand(Aten.Call(Aten.SqueezeDims, o.Tensor, drop.Select(d => (long)d).ToArray()), o.Labels.Where((_, d) => !drop.Contains(d)).ToArray());
        }).ToArray();
    }

    /// <summary>A label repeated within one operand ("ii") reads its diagonal, which becomes the operand's last dim.</summary>
    private static EinsumOperand TakeDiagonals(EinsumOperand x)
    {
        var labels = x.Labels.ToList();
        var tensor = x.Tensor;
        for (int d1 = 0; d1 < labels.Count; d1++)
        {
            int d2 = labels.IndexOf(labels[d1], d1 + 1);
            if (d2 < 0) continue;
            tensor = Aten.Call(Aten.Diagonal, tensor, 0L, (long)d1, (long)d2);
            int label = labels[d1];
            labels.RemoveAt(d2);
            labels.RemoveAt(d1);
            labels.Add(label);
            d1 = -1; // the dims after d1 moved: look again from the start
        }
        return new EinsumOperand(tensor, [.. labels]);
    }

    /// <summary>Sums out the labels outside <paramref name="keep"/> (integers keep their type; ATen's sum would widen them to int64).</summary>
    private static EinsumOperand EinsumSum(EinsumOperand x, IReadOnlySet<int> keep)
    {
        var dims = Enumerable.Range(0, x.Labels.Length).Where(d => !keep.Contains(x.Labels[d])).Select(d => (long)d).ToArray();
        if (dims.Length == 0) return x;
        var tensor = x.Tensor.DType.IsFloatingPoint()
            ? Aten.Call(Aten.SumDim, x.Tensor, dims, false)
            : Aten.CallKw(Aten.SumDim, [x.Tensor, dims, false], ("dtype", x.Tensor.DType));
        return new EinsumOperand(tensor, x.Labels.Where(keep.Contains).ToArray());
    }

    /// <summary>Contracts two operands over the labels they share that <paramref name="keep"/> does not name; shared labels it names are batch dims.</summary>
    private static EinsumOperand Contract(EinsumOperand a, EinsumOperand b, IReadOnlySet<int> keep, IReadOnlyDictionary<int, int> order)
    {
        int[] Sorted(IEnumerable<int> labels) => labels.OrderBy(l => order[l]).ToArray();
        var batch = Sorted(a.Labels.Where(l => b.Labels.Contains(l) && keep.Contains(l)));
        var summed = Sorted(a.Labels.Where(l => b.Labels.Contains(l) && !keep.Contains(l)));
        var left = Sorted(a.Labels.Where(l => !b.Labels.Contains(l)));
        var right = Sorted(b.Labels.Where(l => !a.Labels.Contains(l)));
        int[] labels = [.. batch, .. left, .. right];
        if (summed.Length == 0)
        {
            // Nothing to sum: a broadcast product, [batch, left, 1...] * [batch, 1..., right].
            var x = EinsumPermute(a, [.. batch, .. left]).Tensor;
            var y = EinsumPermute(b, [.. batch, .. right]).Tensor;
            foreach (var _ in right) x = Aten.Call(Aten.Unsqueeze, x, (long)x.Ndim);
            foreach (var _ in left) y = Aten.Call(Aten.Unsqueeze, y, (long)batch.Length);
            return new EinsumOperand(Aten.Call(Aten.Mul, x, y), labels);
        }
        SymInt Product(EinsumOperand o, int[] group) => ShapeRules.Product(group.Select(o.Size));
        var lhs = EinsumPermute(a, [.. batch, .. left, .. summed]).Tensor;
        var rhs = EinsumPermute(b, [.. batch, .. summed, .. right]).Tensor;
        SymInt[] lhsShape = [Product(a, left), Product(a, summed)], rhsShape = [Product(b, summed), Product(b, right)];
        var product = batch.Length == 0
            ? Aten.Call(Aten.Mm, EinsumReshape(lhs, lhsShape), EinsumReshape(rhs, rhsShape))
            : Aten.Call(Aten.Bmm, EinsumReshape(lhs, [Product(a, batch), .. lhsShape]), EinsumReshape(rhs, [Product(b, batch), .. rhsShape]));
        SymInt[] shape = [.. batch.Select(a.Size), .. left.Select(a.Size), .. right.Select(b.Size)];
        return new EinsumOperand(EinsumReshape(product, shape), labels);
    }

    /// <summary>The operand with its dims in <paramref name="labels"/>' order (no op when they already are).</summary>
    private static EinsumOperand EinsumPermute(EinsumOperand x, int[] labels)
    {
        var dims = labels.Select(l => (long)Array.IndexOf(x.Labels, l)).ToArray();
        if (dims.Select((d, i) => d == i).All(same => same)) return x;
        return new EinsumOperand(Aten.Call(Aten.Permute, x.Tensor, dims), labels);
    }

    /// <summary>A reshape that is left out when the sizes already match.</summary>
    private static Tensor EinsumReshape(Tensor x, SymInt[] shape) =>
        x.Shape.AsArray().SequenceEqual(shape) ? x : Aten.Call(Aten.Reshape, x, shape);
}
