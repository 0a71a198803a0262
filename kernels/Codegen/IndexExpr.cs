namespace Graphport.Kernels.Codegen;

/// <summary>
/// Integer index arithmetic of a generated kernel (64-bit, C semantics: division truncates). Built only through
/// the static helpers, which fold constants and use value bounds to drop divisions and remainders that cannot
/// matter, so the CUDA C reads like hand-written index math. The CPU twin evaluates the same trees.
/// </summary>
public abstract record IndexExpr
{
    /// <summary>Smallest value this expression can take in its kernel (from loop extents).</summary>
    public abstract long Min { get; }

    /// <summary>Largest value this expression can take in its kernel.</summary>
    public abstract long Max { get; }

    public bool IsNonNegative => Min >= 0;

    /// <summary>
    /// Nodes in the expression written out as a tree (shared subexpressions counted each time they are printed),
    /// saturating: how long the index math of a kernel gets. A chain of views composes its coordinates into ever longer
    /// expressions; the planner stores a value before its reads grow past <c>PlannerOptions.MaxViewIndexSize</c>.
    /// </summary>
    public abstract long Size { get; }

    public static IndexExpr Constant(long value) => new IndexConst(value);

    public static IndexExpr operator +(IndexExpr a, IndexExpr b) => IndexLinear.Sum([(a, 1), (b, 1)]);

    public static IndexExpr operator +(IndexExpr a, long b) => b == 0 ? a : IndexLinear.Sum([(a, 1), (Constant(b), 1)]);

    public static IndexExpr operator -(IndexExpr a, IndexExpr b) => IndexLinear.Sum([(a, 1), (b, -1)]);

    public static IndexExpr operator *(IndexExpr a, long b) => b switch
    {
        0 => Constant(0),
        1 => a,
        _ => IndexLinear.Sum([(a, b)]),
    };

    /// <summary>Truncating division by a positive constant.</summary>
    public IndexExpr Div(long divisor)
    {
        if (divisor <= 0) throw new ArgumentOutOfRangeException(nameof(divisor), divisor, "Index divisors are positive.");
        if (divisor == 1) return this;
        if (this is IndexConst c) return Constant(c.Value / divisor);
        if (IsNonNegative && Max < divisor) return Constant(0);
        if (IsNonNegative && this is IndexDiv inner) return inner.Value.Div(Saturating.Multiply(inner.Divisor, divisor));
        if (IsNonNegative && this is IndexLinear linear && linear.SplitByMultiple(divisor) is var (quotient, rest) && rest.IsNonNegative && !rest.Equals(this))
            return quotient + rest.Div(divisor);
        return new IndexDiv(this, divisor);
    }

    /// <summary>Remainder of division by a positive constant (C's %, used on non-negative values).</summary>
    public IndexExpr Mod(long divisor)
    {
        if (divisor <= 0) throw new ArgumentOutOfRangeException(nameof(divisor), divisor, "Index divisors are positive.");
        if (divisor == 1) return Constant(0);
        if (this is IndexConst c) return Constant(c.Value % divisor);
        if (IsNonNegative && Max < divisor) return this;
        if (IsNonNegative && this is IndexLinear linear && linear.SplitByMultiple(divisor) is var (_, rest) && rest.IsNonNegative && !rest.Equals(this))
            return rest.Mod(divisor);
        return new IndexMod(this, divisor);
    }

    /// <summary>Row-major linear offset of coordinates with the given strides plus an offset.</summary>
    public static IndexExpr Linearize(IReadOnlyList<IndexExpr> coordinates, IReadOnlyList<long> strides, long offset = 0)
    {
        var terms = new List<(IndexExpr, long)>(coordinates.Count + 1);
        for (int k = 0; k < coordinates.Count; k++)
            if (strides[k] != 0) terms.Add((coordinates[k], strides[k]));
        if (offset != 0) terms.Add((Constant(offset), 1));
        return terms.Count == 0 ? Constant(0) : IndexLinear.Sum(terms);
    }

    /// <summary>Splits a linear index of a row-major shape into its coordinates.</summary>
    public static IndexExpr[] Delinearize(IndexExpr linear, IReadOnlyList<long> shape)
    {
        var result = new IndexExpr[shape.Count];
        long inner = 1;
        for (int k = shape.Count - 1; k >= 0; k--)
        {
            var quotient = linear.Div(inner);
            result[k] = k == 0 ? quotient : quotient.Mod(Math.Max(shape[k], 1));
            inner = Saturating.Multiply(inner, Math.Max(shape[k], 1));
        }
        return result;
    }
}

/// <summary>A constant.</summary>
public sealed record IndexConst(long Value) : IndexExpr
{
    public override long Min => Value;

    public override long Max => Value;

    public override long Size => 1;
}

/// <summary>A loop variable of the kernel, ranging over [0, Extent).</summary>
public sealed record IndexVar(string Name, long Extent) : IndexExpr
{
    public override long Min => 0;

    public override long Max => Math.Max(Extent - 1, 0);

    public override long Size => 1;
}

/// <summary>Truncating division by a positive constant.</summary>
public sealed record IndexDiv(IndexExpr Value, long Divisor) : IndexExpr
{
    // Bounds are computed once, when the node is made: a view of a view of a view (a ShuffleNet's channel shuffles)
    // nests divisions and remainders dozens deep, and recomputing them on each read took time exponential in the depth.
    public override long Min { get; } = Value.IsNonNegative ? Value.Min / Divisor : Saturating.Negative(Saturating.Abs(Value.Min) / Divisor);

    public override long Max { get; } = Value.IsNonNegative ? Value.Max / Divisor : Saturating.Abs(Value.Max) / Divisor;

    public override long Size { get; } = Saturating.Add(Value.Size, 1);

    private readonly int hash = HashCode.Combine(Value, Divisor);

    public override int GetHashCode() => hash;
}

/// <summary>Remainder by a positive constant.</summary>
public sealed record IndexMod(IndexExpr Value, long Divisor) : IndexExpr
{
    public override long Min { get; } = Value.IsNonNegative ? 0 : -(Divisor - 1);

    public override long Max { get; } = Value.IsNonNegative ? Math.Min(Divisor - 1, Value.Max) : Divisor - 1;

    public override long Size { get; } = Saturating.Add(Value.Size, 1);

    private readonly int hash = HashCode.Combine(Value, Divisor);

    public override int GetHashCode() => hash;
}

/// <summary>
/// An integer read from an index tensor (embedding ids, gather indices): the value at <see cref="Index"/> of
/// <see cref="Buffer"/>, converted to int64. Its bounds are those the consumer promises (the gathered extent). With
/// <see cref="WrapNegative"/>, a negative value counts from the end (torch's <c>x[idx]</c>: -1 is the last), so
/// values in [-UpperBound, UpperBound) land in [0, UpperBound). With a <see cref="Site"/> (its number in
/// <see cref="Planning.FusedProgram.FaultSites"/>) the value is checked: one outside the range is recorded as a fault
/// and read as 0, so the bounds hold whatever the data; without one (a table the planner made itself) it is trusted.
/// </summary>
public sealed record IndexLoad(BufferRef Buffer, IndexExpr Index, long UpperBound, bool WrapNegative = false, int Site = -1) : IndexExpr
{
    public override long Min => 0;

    public override long Max => Math.Max(UpperBound - 1, 0);

    public override long Size => Saturating.Add(Index.Size, 1);
}

/// <summary>A canonical sum of scaled terms plus a constant; terms never repeat and are never constants.</summary>
public sealed record IndexLinear : IndexExpr
{
    private IndexLinear(IReadOnlyList<(IndexExpr Term, long Coefficient)> terms, long constant)
    {
        Terms = terms;
        Constant = constant;
        Min = terms.Aggregate(constant, (acc, t) => Saturating.Add(acc, t.Coefficient >= 0 ? Saturating.Multiply(t.Term.Min, t.Coefficient) : Saturating.Multiply(t.Term.Max, t.Coefficient)));
        Max = terms.Aggregate(constant, (acc, t) => Saturating.Add(acc, t.Coefficient >= 0 ? Saturating.Multiply(t.Term.Max, t.Coefficient) : Saturating.Multiply(t.Term.Min, t.Coefficient)));
        Size = terms.Aggregate(1L, (acc, t) => Saturating.Add(acc, t.Term.Size));
        var h = new HashCode();
        h.Add(constant);
        foreach (var t in terms) h.Add(t);
        hash = h.ToHashCode();
    }

    // Hashing recursed through the whole tree on every lookup, exponential in a deep chain of views; once is enough.
    private readonly int hash;

    public override long Size { get; }

    public IReadOnlyList<(IndexExpr Term, long Coefficient)> Terms { get; }

    public new long Constant { get; }

    // Computed once in the constructor (see IndexDiv).
    public override long Min { get; }

    public override long Max { get; }

    /// <summary>Builds Σ coefficient·term, flattening nested sums and merging equal terms.</summary>
    public static IndexExpr Sum(IEnumerable<(IndexExpr Term, long Coefficient)> parts)
    {
        var order = new List<IndexExpr>();
        var coefficients = new Dictionary<IndexExpr, long>();
        long constant = 0;
        void Accumulate(IndexExpr term, long coefficient)
        {
            switch (term)
            {
                case IndexConst c:
                    constant = checked(constant + c.Value * coefficient);
                    break;
                case IndexLinear l:
                    constant = checked(constant + l.Constant * coefficient);
                    foreach (var (t, k) in l.Terms) Accumulate(t, checked(k * coefficient));
                    break;
                default:
                    if (!coefficients.TryGetValue(term, out var existing)) order.Add(term);
                    coefficients[term] = checked(existing + coefficient);
                    break;
            }
        }
        foreach (var (term, coefficient) in parts) Accumulate(term, coefficient);
        var terms = order.Where(t => coefficients[t] != 0).Select(t => (t, coefficients[t])).ToList();
        if (terms.Count == 0) return new IndexConst(constant);
        if (terms.Count == 1 && terms[0].Item2 == 1 && constant == 0) return terms[0].t;
        return new IndexLinear(terms, constant);
    }

    /// <summary>
    /// Splits this sum into (the part whose coefficients are multiples of <paramref name="divisor"/>, divided by
    /// it; the rest). Used to simplify (a·d + r) / d = a and (a·d + r) % d = r when 0 ≤ r &lt; d.
    /// </summary>
    internal (IndexExpr Quotient, IndexExpr Remainder) SplitByMultiple(long divisor)
    {
        var quotient = new List<(IndexExpr, long)>();
        var rest = new List<(IndexExpr, long)>();
        foreach (var (term, coefficient) in Terms)
        {
            if (coefficient % divisor == 0 && term.IsNonNegative && coefficient > 0) quotient.Add((term, coefficient / divisor));
            else rest.Add((term, coefficient));
        }
        if (Constant >= 0)
        {
            quotient.Add((new IndexConst(Constant / divisor), 1));
            rest.Add((new IndexConst(Constant % divisor), 1));
        }
        else rest.Add((new IndexConst(Constant), 1));
        return (Sum(quotient), Sum(rest));
    }

    public bool Equals(IndexLinear? other) =>
        ReferenceEquals(this, other) || other is not null && hash == other.hash && Constant == other.Constant && Terms.Count == other.Terms.Count && Terms.SequenceEqual(other.Terms);

    public override int GetHashCode() => hash;
}

/// <summary>Bound arithmetic that saturates instead of overflowing (bounds of unbounded loads are huge).</summary>
internal static class Saturating
{
    public static long Add(long a, long b)
    {
        long r = unchecked(a + b);
        if (((a ^ r) & (b ^ r)) < 0) return a < 0 ? long.MinValue / 4 : long.MaxValue / 4;
        return r;
    }

    public static long Multiply(long a, long b)
    {
        if (a == 0 || b == 0) return 0;
        long r = unchecked(a * b);
        if (r / b != a || (a == -1 && b == long.MinValue) || Math.Abs(r) > long.MaxValue / 4) return (a < 0) ^ (b < 0) ? long.MinValue / 4 : long.MaxValue / 4;
        return r;
    }

    public static long Abs(long a) => a == long.MinValue ? long.MaxValue : Math.Abs(a);

    public static long Negative(long a) => -a;
}
