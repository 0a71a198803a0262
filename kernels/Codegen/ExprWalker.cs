namespace Graphport.Kernels.Codegen;

/// <summary>Walks and rewrites expression trees (the fusion passes' one tool).</summary>
public static class ExprWalker
{
    public static IEnumerable<BufferRef> Buffers(Expr e) => Nodes(e).SelectMany(n => n switch
    {
        LoadExpr l => Buffers(l.Index).Prepend(l.Buffer),
        IndexValueExpr v => Buffers(v.Index),
        InRangeExpr r => Buffers(r.Index),
        _ => [],
    });

    public static IEnumerable<BufferRef> Buffers(IndexExpr e) => e switch
    {
        IndexLoad l => Buffers(l.Index).Prepend(l.Buffer),
        IndexLinear l => l.Terms.SelectMany(t => Buffers(t.Term)),
        IndexDiv d => Buffers(d.Value),
        IndexMod m => Buffers(m.Value),
        _ => [],
    };

    /// <summary>Every node of the tree, parents before children.</summary>
    public static IEnumerable<Expr> Nodes(Expr e)
    {
        var stack = new Stack<Expr>();
        stack.Push(e);
        while (stack.TryPop(out var n))
        {
            yield return n;
            switch (n)
            {
                case UnaryExpr u: stack.Push(u.Operand); break;
                case BinaryExpr b: stack.Push(b.Right); stack.Push(b.Left); break;
                case SelectExpr s: stack.Push(s.WhenFalse); stack.Push(s.WhenTrue); stack.Push(s.Condition); break;
                case CastExpr c: stack.Push(c.Operand); break;
            }
        }
    }

    public static IEnumerable<IndexVar> Variables(IndexExpr e) => e switch
    {
        IndexVar v => [v],
        IndexLoad l => Variables(l.Index),
        IndexLinear l => l.Terms.SelectMany(t => Variables(t.Term)),
        IndexDiv d => Variables(d.Value),
        IndexMod m => Variables(m.Value),
        _ => [],
    };

    public static IEnumerable<IndexVar> Variables(Expr e) => Nodes(e).SelectMany(n => n switch
    {
        LoadExpr l => Variables(l.Index),
        IndexValueExpr v => Variables(v.Index),
        InRangeExpr r => Variables(r.Index),
        _ => [],
    });

    /// <summary>Rebuilds an index expression with variables substituted (simplifying again on the way up).</summary>
    public static IndexExpr Substitute(IndexExpr e, Func<IndexVar, IndexExpr?> map) => e switch
    {
        IndexVar v => map(v) ?? v,
        IndexConst => e,
        IndexLoad l => l with { Index = Substitute(l.Index, map) },
        IndexLinear l => IndexLinear.Sum(l.Terms.Select(t => (Substitute(t.Term, map), t.Coefficient)).Append((IndexExpr.Constant(l.Constant), 1))),
        IndexDiv d => Substitute(d.Value, map).Div(d.Divisor),
        IndexMod m => Substitute(m.Value, map).Mod(m.Divisor),
        _ => throw new NotSupportedException($"Unknown index expression {e.GetType().Name}."),
    };

    /// <summary>
    /// Rebuilds a value expression: <paramref name="load"/> may replace a load (return null to keep it), and
    /// variables are substituted everywhere.
    /// </summary>
    public static Expr Rewrite(Expr e, Func<IndexVar, IndexExpr?> variables, Func<LoadExpr, Expr?>? load = null)
    {
        Expr Go(Expr x) => x switch
        {
            LoadExpr l => load?.Invoke(l) ?? new LoadExpr(l.Buffer, Substitute(l.Index, variables)),
            ConstExpr or AccumulatorExpr => x,
            IndexValueExpr v => new IndexValueExpr(Substitute(v.Index, variables), v.ValueKind),
            InRangeExpr r => Exprs.InRange(Substitute(r.Index, variables), r.Low, r.High),
            UnaryExpr u => u with { Operand = Go(u.Operand) },
            BinaryExpr b => b with { Left = Go(b.Left), Right = Go(b.Right) },
            SelectExpr s => s with { Condition = Go(s.Condition), WhenTrue = Go(s.WhenTrue), WhenFalse = Go(s.WhenFalse) },
            CastExpr c => c with { Operand = Go(c.Operand) },
            _ => throw new NotSupportedException($"Unknown expression {x.GetType().Name}."),
        };
        return Go(e);
    }
}
