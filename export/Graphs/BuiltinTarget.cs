namespace Graphport.Graphs;

/// <summary>
/// A non-ATen call target: Python's operator.getitem and the operator/torch.sym_* functions that compute
/// symbolic sizes inside a graph. Each carries its run-time behaviour for the interpreter.
/// </summary>
public sealed class BuiltinTarget
{
    private BuiltinTarget(string name, Func<object?[], object?> run)
    {
        Name = name;
        Run = run;
    }

    /// <summary>The target as FX prints it ("operator.getitem").</summary>
    public string Name { get; }

    public Func<object?[], object?> Run { get; }

    public static readonly BuiltinTarget GetItem = new("operator.getitem", a => a[0] switch
    {
        object?[] items => items[ToInt(a[1])],
        _ => throw new InvalidOperationException($"getitem on {a[0]?.GetType().Name}"),
    });

    public static readonly BuiltinTarget Add = new("operator.add", a => checked(ToLong(a[0]) + ToLong(a[1])));
    public static readonly BuiltinTarget Sub = new("operator.sub", a => checked(ToLong(a[0]) - ToLong(a[1])));
    public static readonly BuiltinTarget Mul = new("operator.mul", a => checked(ToLong(a[0]) * ToLong(a[1])));
    public static readonly BuiltinTarget FloorDiv = new("operator.floordiv", a => Shapes.ValueRange.FloorDivide(ToLong(a[0]), ToLong(a[1])));
    public static readonly BuiltinTarget Mod = new("operator.mod", a => Shapes.ValueRange.PythonMod(ToLong(a[0]), ToLong(a[1])));
    public static readonly BuiltinTarget Neg = new("operator.neg", a => checked(-ToLong(a[0])));
    public static readonly BuiltinTarget SymMax = new("torch.sym_max", a => Math.Max(ToLong(a[0]), ToLong(a[1])));
    public static readonly BuiltinTarget SymMin = new("torch.sym_min", a => Math.Min(ToLong(a[0]), ToLong(a[1])));

    public static readonly BuiltinTarget Eq = new("operator.eq", a => ToLong(a[0]) == ToLong(a[1]));
    public static readonly BuiltinTarget Ne = new("operator.ne", a => ToLong(a[0]) != ToLong(a[1]));
    public static readonly BuiltinTarget Lt = new("operator.lt", a => ToLong(a[0]) < ToLong(a[1]));
    public static readonly BuiltinTarget Le = new("operator.le", a => ToLong(a[0]) <= ToLong(a[1]));
    public static readonly BuiltinTarget Gt = new("operator.gt", a => ToLong(a[0]) > ToLong(a[1]));
    public static readonly BuiltinTarget Ge = new("operator.ge", a => ToLong(a[0]) >= ToLong(a[1]));
    public static readonly BuiltinTarget And = new("operator.and_", a => ToBool(a[0]) && ToBool(a[1]));
    public static readonly BuiltinTarget Or = new("operator.or_", a => ToBool(a[0]) || ToBool(a[1]));
    public static readonly BuiltinTarget Not = new("operator.not_", a => !ToBool(a[0]));

    public static IReadOnlyList<BuiltinTarget> All { get; } = [GetItem, Add, Sub, Mul, FloorDiv, Mod, Neg, SymMax, SymMin, Eq, Ne, Lt, Le, Gt, Ge, And, Or, Not];

    private static bool ToBool(object? value) => value switch
    {
        bool b => b,
        SymBool s => s,
        _ => throw new InvalidOperationException($"Expected a bool, got {value?.GetType().Name ?? "null"}."),
    };

    public static BuiltinTarget? ByName(string name) => All.FirstOrDefault(b => b.Name == name);

    internal static long ToLong(object? value) => value switch
    {
        long l => l,
        int i => i,
        SymInt s => (long)s,
        _ => throw new InvalidOperationException($"Expected an integer, got {value?.GetType().Name ?? "null"}."),
    };

    private static int ToInt(object? value) => checked((int)ToLong(value));

    public override string ToString() => Name;
}
