using System.Globalization;
using Graphport.Shapes;

namespace Graphport.Serialization;

/// <summary>
/// Reads the size expressions of a saved program back into <see cref="SymExpr"/> / <see cref="SymBoolExpr"/>:
/// sympy's srepr (what torch and Graphport write) and sympy's infix str (what older torch wrote: "2*s0 + 1",
/// "(s0//3)", "Mod(s0, 3)", "s0 > 10"). Symbols are resolved by name through the caller, which owns the ShapeEnv.
/// </summary>
internal sealed class SympyParser
{
    private readonly string text;
    private readonly Func<string, SymbolAtom> symbol;
    private int pos;

    private SympyParser(string text, Func<string, SymbolAtom> symbol)
    {
        this.text = text;
        this.symbol = symbol;
    }

    public static SymExpr ParseInt(string text, Func<string, SymbolAtom> symbol) =>
        new SympyParser(text, symbol).Run() as SymExpr ?? throw new FormatException($"\"{text}\" is a condition, not an integer expression.");

    public static SymBoolExpr ParseBool(string text, Func<string, SymbolAtom> symbol) =>
        new SympyParser(text, symbol).Run() switch
        {
            SymBoolExpr b => b,
            bool b => SymBoolExpr.Const(b),
            _ => throw new FormatException($"\"{text}\" is an integer expression, not a condition."),
        };

    /// <summary>The names of the symbols an expression mentions (for a first pass that creates them).</summary>
    public static IReadOnlyList<string> SymbolNames(string text)
    {
        var found = new List<string>();
        var placeholder = new Dictionary<string, SymbolAtom>(StringComparer.Ordinal);
        new SympyParser(text, name =>
        {
            if (!placeholder.TryGetValue(name, out var atom))
            {
                atom = new SymbolAtom(placeholder.Count, name, unbacked: false);
                placeholder[name] = atom;
                found.Add(name);
            }
            return atom;
        }).Run();
        return found;
    }

    private object Run()
    {
        if (text.Length > 100_000) throw new FormatException("the expression is longer than 100000 characters.");
        var result = Or(0);
        SkipSpace();
        if (pos != text.Length) throw Error("unexpected text");
        return result;
    }

    // Recursion depth is bounded so a hostile file cannot overflow the stack.
    private const int MaxDepth = 200;

    private object Or(int depth)
    {
        var left = And(depth);
        while (Accept("|")) left = Logical(false, left, And(depth));
        return left;
    }

    private object And(int depth)
    {
        var left = Comparison(depth);
        while (Accept("&")) left = Logical(true, left, Comparison(depth));
        return left;
    }

    private object Comparison(int depth)
    {
        var left = Sum(depth);
        Relation? kind = Accept("==") ? Relation.Eq : Accept("!=") ? Relation.Ne : Accept("<=") ? Relation.Le
            : Accept(">=") ? Relation.Ge : Accept("<") ? Relation.Lt : Accept(">") ? Relation.Gt : null;
        if (kind is null) return left;
        return SymRelation.Make(kind.Value, Int(left), Int(Sum(depth)));
    }

    private object Sum(int depth)
    {
        var left = Product(depth);
        while (true)
        {
            if (Accept("+")) left = Int(left) + Int(Product(depth));
            else if (Accept("-")) left = Int(left) - Int(Product(depth));
            else return left;
        }
    }

    private object Product(int depth)
    {
        var left = Unary(depth);
        while (true)
        {
            if (Accept("//")) left = SymExpr.FloorDiv(Int(left), Int(Unary(depth)));
            else if (Accept("*")) left = Int(left) * Int(Unary(depth));
            else if (Accept("%")) left = SymExpr.Mod(Int(left), Int(Unary(depth)));
            else if (Accept("/")) throw Error("true division is not a size expression");
            else return left;
        }
    }

    private object Unary(int depth)
    {
        if (depth > MaxDepth) throw Error("the expression is nested too deeply");
        if (Accept("-")) return -Int(Unary(depth + 1));
        if (Accept("+")) return Int(Unary(depth + 1));
        var b = Primary(depth + 1);
        if (Accept("**")) return Power(Int(b), Int(Unary(depth + 1)));
        return b;
    }

    private object Primary(int depth)
    {
        SkipSpace();
        if (pos >= text.Length) throw Error("the expression ends early");
        char c = text[pos];
        if (c == '(')
        {
            pos++;
            var inner = Or(depth + 1);
            Expect(")");
            return inner;
        }
        if (char.IsDigit(c)) return SymExpr.Constant(Number());
        if (c is '\'' or '"') return StringLiteral();
        if (char.IsLetter(c) || c == '_')
        {
            string name = Identifier();
            if (Accept("(")) return Function(name, depth);
            return name switch
            {
                "True" or "true" => true,
                "False" or "false" => false,
                "oo" or "int_oo" or "zoo" or "nan" => throw Error($"{name} is not a finite size"),
                _ => SymExpr.Of(symbol(name)),
            };
        }
        throw Error($"unexpected character '{c}'");
    }

    private object Function(string name, int depth)
    {
        var args = new List<object>();
        SkipSpace();
        if (!Accept(")"))
        {
            do
            {
                // Keyword arguments are the assumptions of Symbol('s0', integer=True, positive=True); they are implied by the ShapeEnv.
                int save = pos;
                if (TryIdentifier(out _) && Accept("=") && !Peek("="))
                {
                    Or(depth + 1);
                    continue;
                }
                pos = save;
                args.Add(Or(depth + 1));
            } while (Accept(","));
            Expect(")");
        }
        switch (name)
        {
            case "Symbol" or "Dummy":
                if (args.Count < 1 || args[0] is not string symbolName) throw Error($"{name}() needs the symbol's name as a string");
                return SymExpr.Of(symbol(symbolName));
            case "Integer":
                return Arity(name, args, 1) is SymExpr { IsConstant: true } n ? n : throw Error("Integer() takes an integer literal");
            case "Add":
                return args.Select(Int).Aggregate(SymExpr.Zero, (a, b) => a + b);
            case "Mul":
                return args.Select(Int).Aggregate(SymExpr.One, (a, b) => a * b);
            case "Pow" or "PowByNatural":
                Arity(name, args, 2);
                return Power(Int(args[0]), Int(args[1]));
            case "FloorDiv" or "CleanDiv":
                Arity(name, args, 2);
                return SymExpr.FloorDiv(Int(args[0]), Int(args[1]));
            case "Mod" or "PythonMod":
                Arity(name, args, 2);
                return SymExpr.Mod(Int(args[0]), Int(args[1]));
            case "Max" or "Min":
                if (args.Count < 1) throw Error($"{name}() needs arguments");
                var ints = args.Select(Int).ToList();
                return ints.Skip(1).Aggregate(ints[0], (a, b) => name == "Max" ? SymExpr.Max(a, b) : SymExpr.Min(a, b));
            // sympy's srepr names Eq and Ne by their classes, Equality and Unequality (a sum of data-dependent sizes
            // asserted equal to a length: GraniteMoE's expert split).
            case "Eq" or "Ne" or "Equality" or "Unequality" or "StrictLessThan" or "LessThan" or "StrictGreaterThan" or "GreaterThan" or "Lt" or "Le" or "Gt" or "Ge":
                Arity(name, args, 2);
                var kind = name switch
                {
                    "Eq" or "Equality" => Relation.Eq,
                    "Ne" or "Unequality" => Relation.Ne,
                    "StrictLessThan" or "Lt" => Relation.Lt,
                    "LessThan" or "Le" => Relation.Le,
                    "StrictGreaterThan" or "Gt" => Relation.Gt,
                    _ => Relation.Ge,
                };
                return SymRelation.Make(kind, Int(args[0]), Int(args[1]));
            case "And" or "Or":
                if (args.Count < 1) throw Error($"{name}() needs arguments");
                return args.Skip(1).Aggregate(args[0], (a, b) => Logical(name == "And", a, b));
            case "Not":
                Arity(name, args, 1);
                return Bool(args[0]).Negate();
            default:
                throw Error($"the function {name}() is not a size operation Graphport knows");
        }
    }

    private object Arity(string name, List<object> args, int n) =>
        args.Count == n ? args[0] : throw Error($"{name}() takes {n} argument(s), got {args.Count}");

    private SymExpr Power(SymExpr b, SymExpr e)
    {
        if (!e.IsConstant || e.ConstantValue is < 0 or > 64) throw Error("only small non-negative integer powers are size expressions");
        var result = SymExpr.One;
        for (long i = 0; i < e.ConstantValue; i++) result *= b;
        return result;
    }

    private object Logical(bool isAnd, object a, object b) => SymLogical.Make(isAnd, Bool(a), Bool(b));

    private SymExpr Int(object value) => value switch
    {
        SymExpr e => e,
        _ => throw Error("expected an integer expression here"),
    };

    private SymBoolExpr Bool(object value) => value switch
    {
        SymBoolExpr b => b,
        bool b => SymBoolExpr.Const(b),
        _ => throw Error("expected a condition here"),
    };

    private long Number()
    {
        int start = pos;
        while (pos < text.Length && char.IsDigit(text[pos])) pos++;
        if (pos < text.Length && (text[pos] == '.' || text[pos] == 'e' || text[pos] == 'E')) throw Error("only integers occur in size expressions");
        if (!long.TryParse(text.AsSpan(start, pos - start), NumberStyles.None, CultureInfo.InvariantCulture, out long value))
            throw Error("the integer is too large");
        return value;
    }

    private string StringLiteral()
    {
        char quote = text[pos++];
        int start = pos;
        while (pos < text.Length && text[pos] != quote) pos++;
        if (pos >= text.Length) throw Error("a string is not closed");
        return text[start..pos++];
    }

    private string Identifier()
    {
        if (!TryIdentifier(out var name)) throw Error("expected a name");
        return name;
    }

    private bool TryIdentifier(out string name)
    {
        SkipSpace();
        int start = pos;
        while (pos < text.Length && (char.IsLetterOrDigit(text[pos]) || text[pos] == '_')) pos++;
        name = text[start..pos];
        return name.Length > 0 && !char.IsDigit(name[0]);
    }

    private bool Accept(string token)
    {
        SkipSpace();
        if (string.CompareOrdinal(text, pos, token, 0, token.Length) != 0) return false;
        pos += token.Length;
        return true;
    }

    private bool Peek(string token) => string.CompareOrdinal(text, pos, token, 0, token.Length) == 0;

    private void Expect(string token)
    {
        if (!Accept(token)) throw Error($"expected '{token}'");
    }

    private void SkipSpace()
    {
        while (pos < text.Length && char.IsWhiteSpace(text[pos])) pos++;
    }

    private FormatException Error(string what) => new($"{what} at position {pos} of \"{(text.Length > 80 ? text[..80] + "..." : text)}\".");
}
