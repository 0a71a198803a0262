namespace Graphport.Shapes;

public enum Relation { Eq, Ne, Lt, Le, Gt, Ge }

/// <summary>A boolean statement about sizes: a relation between two expressions, or a combination of them.</summary>
public abstract class SymBoolExpr
{
    public abstract bool Evaluate(Func<SymbolAtom, long> valueOf);

    public abstract SymBoolExpr Substitute(Func<SymbolAtom, SymExpr?> replacement);

    public abstract SymBoolExpr Negate();

    public abstract string Render(Func<SymbolAtom, string> nameOf);

    public abstract IEnumerable<SymbolAtom> FreeSymbols();

    /// <summary>True or false when the bounds of the symbols decide the statement; null when they do not.</summary>
    public abstract bool? Decide(Func<SymbolAtom, ValueRange> rangeOf);

    public override string ToString() => Render(s => s.Name);

    public static SymBoolExpr Const(bool value) => value ? SymBoolConst.True : SymBoolConst.False;
}

public sealed class SymBoolConst(bool value) : SymBoolExpr
{
    public static readonly SymBoolConst True = new(true);
    public static readonly SymBoolConst False = new(false);

    public bool Value { get; } = value;

    public override bool Evaluate(Func<SymbolAtom, long> valueOf) => Value;

    public override SymBoolExpr Substitute(Func<SymbolAtom, SymExpr?> replacement) => this;

    public override SymBoolExpr Negate() => Value ? False : True;

    public override string Render(Func<SymbolAtom, string> nameOf) => Value ? "true" : "false";

    public override IEnumerable<SymbolAtom> FreeSymbols() => [];

    public override bool? Decide(Func<SymbolAtom, ValueRange> rangeOf) => Value;
}

/// <summary>Lhs (relation) Rhs, decided through the sign of Lhs - Rhs.</summary>
public sealed class SymRelation : SymBoolExpr
{
    public SymRelation(Relation kind, SymExpr lhs, SymExpr rhs)
    {
        Kind = kind;
        Lhs = lhs;
        Rhs = rhs;
    }

    public Relation Kind { get; }

    public SymExpr Lhs { get; }

    public SymExpr Rhs { get; }

    /// <summary>Lhs - Rhs: the relation holds iff this difference compares with zero as Kind says.</summary>
    public SymExpr Difference => Lhs - Rhs;

    public static SymBoolExpr Make(Relation kind, SymExpr lhs, SymExpr rhs)
    {
        var d = lhs - rhs;
        return d.IsConstant ? Const(Holds(kind, d.ConstantValue)) : new SymRelation(kind, lhs, rhs);
    }

    public static bool Holds(Relation kind, long difference) => kind switch
    {
        Relation.Eq => difference == 0,
        Relation.Ne => difference != 0,
        Relation.Lt => difference < 0,
        Relation.Le => difference <= 0,
        Relation.Gt => difference > 0,
        _ => difference >= 0,
    };

    public override bool Evaluate(Func<SymbolAtom, long> valueOf) => Holds(Kind, Lhs.Evaluate(valueOf) - Rhs.Evaluate(valueOf));

    public override SymBoolExpr Substitute(Func<SymbolAtom, SymExpr?> replacement) =>
        Make(Kind, Lhs.Substitute(replacement), Rhs.Substitute(replacement));

    public override SymBoolExpr Negate() => new SymRelation(Kind switch
    {
        Relation.Eq => Relation.Ne,
        Relation.Ne => Relation.Eq,
        Relation.Lt => Relation.Ge,
        Relation.Le => Relation.Gt,
        Relation.Gt => Relation.Le,
        _ => Relation.Lt,
    }, Lhs, Rhs);

    public static string Symbol(Relation kind) => kind switch
    {
        Relation.Eq => "==",
        Relation.Ne => "!=",
        Relation.Lt => "<",
        Relation.Le => "<=",
        Relation.Gt => ">",
        _ => ">=",
    };

    public override string Render(Func<SymbolAtom, string> nameOf) => $"{Lhs.Render(nameOf)} {Symbol(Kind)} {Rhs.Render(nameOf)}";

    public override IEnumerable<SymbolAtom> FreeSymbols() => Lhs.FreeSymbols().Concat(Rhs.FreeSymbols()).Distinct();

    public override bool? Decide(Func<SymbolAtom, ValueRange> rangeOf)
    {
        var d = Difference;
        if (d.IsConstant) return Holds(Kind, d.ConstantValue);
        var r = d.Bound(rangeOf);
        var byIntervals = Kind switch
        {
            Relation.Eq => r.IsSingleton && r.Lower == 0 ? true : r.Contains(0) ? null : false,
            Relation.Ne => r.IsSingleton && r.Lower == 0 ? false : r.Contains(0) ? null : true,
            Relation.Lt => r.Upper < 0 ? true : r.Lower >= 0 ? false : null,
            Relation.Le => r.Upper <= 0 ? true : r.Lower > 0 ? false : null,
            Relation.Gt => r.Lower > 0 ? true : r.Upper <= 0 ? false : (bool?)null,
            _ => r.Lower >= 0 ? true : r.Upper < 0 ? false : null,
        };
        return byIntervals ?? DecideBySigns(d, rangeOf);
    }

    /// <summary>The slower fallback: signs proved with floor/min/max bounds that keep the symbols' correlation.</summary>
    private bool? DecideBySigns(SymExpr d, Func<SymbolAtom, ValueRange> rangeOf)
    {
        bool Neg() => SignProver.Negative(d, rangeOf);
        bool Pos() => SignProver.Positive(d, rangeOf);
        return Kind switch
        {
            Relation.Le => SignProver.NonPositive(d, rangeOf) ? true : Pos() ? false : null,
            Relation.Lt => Neg() ? true : SignProver.NonNegative(d, rangeOf) ? false : null,
            Relation.Gt => Pos() ? true : SignProver.NonPositive(d, rangeOf) ? false : null,
            Relation.Ge => SignProver.NonNegative(d, rangeOf) ? true : Neg() ? false : null,
            Relation.Eq => Neg() || Pos() ? false : null,
            _ => Neg() || Pos() ? true : null,
        };
    }
}

/// <summary>A conjunction (IsAnd) or disjunction of two statements.</summary>
public sealed class SymLogical(bool isAnd, SymBoolExpr a, SymBoolExpr b) : SymBoolExpr
{
    public bool IsAnd { get; } = isAnd;

    public SymBoolExpr A { get; } = a;

    public SymBoolExpr B { get; } = b;

    public static SymBoolExpr Make(bool isAnd, SymBoolExpr a, SymBoolExpr b)
    {
        if (a is SymBoolConst ca) return ca.Value == isAnd ? b : ca;
        if (b is SymBoolConst cb) return cb.Value == isAnd ? a : cb;
        return new SymLogical(isAnd, a, b);
    }

    public override bool Evaluate(Func<SymbolAtom, long> valueOf) =>
        IsAnd ? A.Evaluate(valueOf) && B.Evaluate(valueOf) : A.Evaluate(valueOf) || B.Evaluate(valueOf);

    public override SymBoolExpr Substitute(Func<SymbolAtom, SymExpr?> replacement) =>
        Make(IsAnd, A.Substitute(replacement), B.Substitute(replacement));

    public override SymBoolExpr Negate() => Make(!IsAnd, A.Negate(), B.Negate());

    public override string Render(Func<SymbolAtom, string> nameOf) =>
        $"{A.Render(nameOf)} {(IsAnd ? "&&" : "||")} {B.Render(nameOf)}";

    public override IEnumerable<SymbolAtom> FreeSymbols() => A.FreeSymbols().Concat(B.FreeSymbols()).Distinct();

    public override bool? Decide(Func<SymbolAtom, ValueRange> rangeOf)
    {
        bool? a = A.Decide(rangeOf), b = B.Decide(rangeOf);
        if (IsAnd)
        {
            if (a == false || b == false) return false;
            return a == true && b == true ? true : null;
        }
        if (a == true || b == true) return true;
        return a == false && b == false ? false : null;
    }
}
