namespace Graphport.Operators;

/// <summary>Shape rules shared by meta functions: dim wrapping, broadcasting, promotion. Works on symbolic sizes.</summary>
internal static class ShapeRules
{
    /// <summary>Wraps a possibly negative dim into [0, rank); torch's error when out of range.</summary>
    public static int WrapDim(long dim, int rank, bool allowScalar = true)
    {
        int effective = rank == 0 && allowScalar ? 1 : rank;
        if (dim < -effective || dim >= effective)
            throw new IndexOutOfRangeException($"Dimension out of range (expected to be in range of [{-effective}, {effective - 1}], but got {dim})");
        return (int)(dim < 0 ? dim + effective : dim);
    }

    /// <summary>torch's infer_size: aligns shapes from the right; sizes must match or be 1.</summary>
    public static SymInt[] Broadcast(IReadOnlyList<SymInt> a, IReadOnlyList<SymInt> b)
    {
        int n = Math.Max(a.Count, b.Count);
        var result = new SymInt[n];
        for (int i = 0; i < n; i++)
        {
            int ia = a.Count - n + i, ib = b.Count - n + i;
            SymInt? sa = ia >= 0 ? a[ia] : null, sb = ib >= 0 ? b[ib] : null;
            if (sa is null) { result[i] = sb!.Value; continue; }
            if (sb is null) { result[i] = sa.Value; continue; }
            if (sa.Value.Equals(sb.Value)) { result[i] = sa.Value; continue; }
            if (sa.Value == 1) { result[i] = sb.Value; continue; }
            if (sb.Value == 1) { result[i] = sa.Value; continue; }
            if (!(sa.Value == sb.Value))
                throw new ArgumentException($"The size of tensor a ({sa.Value.Hint}) must match the size of tensor b ({sb.Value.Hint}) at non-singleton dimension {i}");
            result[i] = sa.Value;
        }
        return result;
    }

    /// <summary>
    /// Whether two shapes are equal: the ranks, then the sizes dim by dim (a symbolic size decided, and guarded, as an
    /// if on it is), stopping at the first that differs.
    /// </summary>
    public static bool SameSizes(IReadOnlyList<SymInt> a, IReadOnlyList<SymInt> b)
    {
        if (a.Count != b.Count) return false;
        for (int d = 0; d < a.Count; d++)
            if (!(a[d] == b[d])) return false;
        return true;
    }

    public static SymInt[] Broadcast(IEnumerable<IReadOnlyList<SymInt>> shapes) =>
        shapes.Aggregate(Array.Empty<SymInt>(), (acc, s) => Broadcast(acc, s));

    public static SymInt Product(IEnumerable<SymInt> sizes)
    {
        SymInt p = 1;
        foreach (var s in sizes) p *= s;
        return p;
    }

    /// <summary>The result dtype of a pointwise op over tensors and numbers, by torch's promotion rules.</summary>
    public static DType ResultType(IEnumerable<object?> operands)
    {
        var tensors = new List<(DType, bool)>();
        var scalars = new List<ScalarKind>();
        foreach (var o in operands)
        {
            switch (o)
            {
                case Tensor t: tensors.Add((t.DType, t.Ndim == 0)); break;
                case bool: scalars.Add(ScalarKind.Bool); break;
                case long or int or SymInt: scalars.Add(ScalarKind.Integer); break;
                case double or float: scalars.Add(ScalarKind.Floating); break;
                case System.Numerics.Complex: scalars.Add(ScalarKind.Complex); break;
            }
        }
        return DTypeInfo.PromoteOperands(tensors, scalars);
    }

    public static SymInt[] ShapeOf(object? operand) => operand is Tensor t ? t.Shape.AsArray() : [];

    /// <summary>Resolves a single -1 in a requested shape from the element count, as view/reshape do.</summary>
    public static SymInt[] InferSize(SymInt[] requested, SymInt numel, string opName)
    {
        int inferred = -1;
        SymInt known = 1;
        for (int i = 0; i < requested.Length; i++)
        {
            if (requested[i].AsConstant == -1)
            {
                if (inferred >= 0) throw new ArgumentException($"{opName}: only one dimension can be inferred (two -1 entries in [{string.Join(", ", requested)}])");
                inferred = i;
            }
            else if (requested[i].AsConstant is < 0)
            {
                throw new ArgumentException($"{opName}: invalid shape dimension {requested[i]}");
            }
            else
            {
                known *= requested[i];
            }
        }
        var result = (SymInt[])requested.Clone();
        if (inferred >= 0)
        {
            if (known == 0)
                throw new ArgumentException($"{opName}: cannot reshape tensor of {numel.Hint} elements into shape [{string.Join(", ", requested)}] because the unspecified dimension size -1 can be any value and is ambiguous");
            if (!(numel % known == 0))
                throw new ArgumentException($"shape '[{string.Join(", ", requested)}]' is invalid for input of size {numel.Hint}");
            result[inferred] = numel / known;
        }
        else if (!(known == numel))
        {
            throw new ArgumentException($"shape '[{string.Join(", ", requested)}]' is invalid for input of size {numel.Hint}");
        }
        return result;
    }
}
