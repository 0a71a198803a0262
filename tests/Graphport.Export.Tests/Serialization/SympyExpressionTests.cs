using Graphport.Serialization;
using Graphport.Shapes;

namespace Graphport.Tests.Serialization;

/// <summary>Size expressions are written as sympy srepr and read back (srepr or infix) to the same normal form.</summary>
public class SympyExpressionTests
{
    private static readonly SymbolAtom S0 = new(0, "s0", unbacked: false);
    private static readonly SymbolAtom S1 = new(1, "s1", unbacked: false);
    private static readonly SymbolAtom U0 = new(0, "u0", unbacked: true);
    private static readonly SympyPrinter Printer = new(s => s.Unbacked ? ValueRange.Unknown : ValueRange.DefaultSize);

    private static SymExpr X => SymExpr.Of(S0);
    private static SymExpr Y => SymExpr.Of(S1);

    private static SymbolAtom Resolve(string name) => name switch
    {
        "s0" => S0,
        "s1" => S1,
        "u0" => U0,
        _ => throw new FormatException($"unknown symbol {name}"),
    };

    public static TheoryData<string, string> Expressions => new()
    {
        { "s0", "Symbol('s0', integer=True, positive=True)" },
        { "2*s0 + 1", "Add(Mul(Integer(2), Symbol('s0', integer=True, positive=True)), Integer(1))" },
        { "s0*s1 - 1", "Add(Mul(Symbol('s0', integer=True, positive=True), Symbol('s1', integer=True, positive=True)), Integer(-1))" },
        { "s0*s0", "Pow(Symbol('s0', integer=True, positive=True), Integer(2))" },
        { "-s0", "Mul(Integer(-1), Symbol('s0', integer=True, positive=True))" },
        { "(s0 + 1)//2", "FloorDiv(Add(Symbol('s0', integer=True, positive=True), Integer(1)), Integer(2))" },
        { "Mod(s0, 3)", "Mod(Symbol('s0', integer=True, positive=True), Integer(3))" },
        { "Max(s0, s1)", "Max(Symbol('s0', integer=True, positive=True), Symbol('s1', integer=True, positive=True))" },
        { "u0", "Symbol('u0', integer=True)" },
    };

    private static SymExpr Build(string infix) => infix switch
    {
        "s0" => X,
        "2*s0 + 1" => X * 2 + 1,
        "s0*s1 - 1" => X * Y - 1,
        "s0*s0" => X * X,
        "-s0" => -X,
        "(s0 + 1)//2" => SymExpr.FloorDiv(X + 1, SymExpr.Constant(2)),
        "Mod(s0, 3)" => SymExpr.Mod(X, SymExpr.Constant(3)),
        "Max(s0, s1)" => SymExpr.Max(X, Y),
        "u0" => SymExpr.Of(U0),
        _ => throw new ArgumentException(infix),
    };

    [Theory]
    [MemberData(nameof(Expressions))]
    public void Expressions_print_as_srepr_and_parse_back_to_the_same_expression(string infix, string srepr)
    {
        var expr = Build(infix);
        Assert.Equal(infix, expr.ToString());
        Assert.Equal(srepr, Printer.Print(expr));
        Assert.Equal(expr, SympyParser.ParseInt(srepr, Resolve));
    }

    [Theory]
    [MemberData(nameof(Expressions))]
    public void The_infix_form_older_torch_wrote_parses_to_the_same_expression(string infix, string srepr)
    {
        _ = srepr;
        Assert.Equal(Build(infix), SympyParser.ParseInt(infix, Resolve));
    }

    [Fact]
    public void Conditions_print_as_sympy_relations_and_parse_back()
    {
        var condition = SymLogical.Make(true, SymRelation.Make(Relation.Gt, X, SymExpr.Constant(10)), SymRelation.Make(Relation.Le, Y, X * 2));
        string srepr = Printer.Print(condition);
        Assert.Equal("And(StrictGreaterThan(Symbol('s0', integer=True, positive=True), Integer(10)), LessThan(Symbol('s1', integer=True, positive=True), Mul(Integer(2), Symbol('s0', integer=True, positive=True))))", srepr);
        Assert.Equal(condition.ToString(), SympyParser.ParseBool(srepr, Resolve).ToString());
        Assert.Equal("s0 > 10 && s1 <= 2*s0", SympyParser.ParseBool("(s0 > 10) & (s1 <= 2*s0)", Resolve).ToString());
        Assert.Equal("s0 == 1", SympyParser.ParseBool("Eq(s0, 1)", Resolve).ToString());
    }

    [Fact]
    public void Torch_helper_functions_and_spellings_are_understood()
    {
        Assert.Equal(SymExpr.FloorDiv(X, SymExpr.Constant(4)), SympyParser.ParseInt("CleanDiv(s0, 4)", Resolve));
        Assert.Equal(SymExpr.Mod(X, SymExpr.Constant(4)), SympyParser.ParseInt("PythonMod(s0, 4)", Resolve));
        Assert.Equal(X * X * X, SympyParser.ParseInt("s0**3", Resolve));
        Assert.Equal(SymExpr.Min(X, SymExpr.Constant(5)), SympyParser.ParseInt("Min(5, s0)", Resolve));
    }

    [Theory]
    [InlineData("Rational(1, 2)", "the function Rational() is not a size operation Graphport knows")]
    [InlineData("s0/2", "true division is not a size expression")]
    [InlineData("s7 + 1", "unknown symbol s7")]
    [InlineData("Add(s0, ", "the expression ends early")]
    [InlineData("1.5", "only integers occur in size expressions")]
    [InlineData("s0 + oo", "oo is not a finite size")]
    public void Unreadable_expressions_are_reported_with_the_reason(string text, string reason)
    {
        var e = Assert.Throws<FormatException>(() => SympyParser.ParseInt(text, Resolve));
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void Deeply_nested_expressions_are_refused_instead_of_overflowing_the_stack()
    {
        string deep = new string('(', 5000) + "s0" + new string(')', 5000);
        var e = Assert.Throws<FormatException>(() => SympyParser.ParseInt(deep, Resolve));
        Assert.Contains("nested too deeply", e.Message);
    }

    [Theory]
    [InlineData("s12", 12, false)]
    [InlineData("u3", 3, true)]
    public void Symbol_names_give_the_symbols_number_and_kind(string name, int id, bool unbacked) =>
        Assert.Equal((id, unbacked), SymbolTable.ParseName(name, "test"));

    [Theory]
    [InlineData("x0")]
    [InlineData("s")]
    [InlineData("s01")]
    [InlineData("zuf0")]
    public void Other_symbol_names_are_refused(string name)
    {
        var e = Assert.Throws<InvalidDataException>(() => SymbolTable.ParseName(name, "test"));
        Assert.Contains($"the symbol name \"{name}\" is not one Graphport knows", e.Message);
    }
}
