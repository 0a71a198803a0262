using Graphport.Operators;

namespace Graphport;

/// <summary>
/// The built-in ATen operator overloads, declared by schema. Each family of ops lives in its own file
/// (Aten.Views.cs, Aten.Pointwise.cs, ...); all are registered when this class is first touched.
/// </summary>
internal static partial class Aten
{
    /// <param name="ns">Another namespace than aten for an op Graphport implements itself (a library's custom op that
    /// torch exports record: transformers::grouped_mm_fallback).</param>
    private static OpOverload Def(string schema, MetaFunction? meta = null, KernelFunction? kernel = null, string tags = "", string ns = "aten")
    {
        var op = OpRegistry.Instance.Define(schema, ns);
        op.Meta = meta;
        op.Kernel = kernel;
        op.Tags = tags.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
        return op;
    }

    /// <summary>An op implemented by other ops (CompositeImplicitAutograd): tracing records its body, not the op.</summary>
    private static OpOverload Composite(string schema, KernelFunction body, string tags = "")
    {
        var op = OpRegistry.Instance.Define(schema);
        op.Composite = body;
        op.Tags = tags.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
        return op;
    }

    /// <summary>
    /// An in-place op (schema has Tensor(a!) self); it runs and traces through its functional variant. Pointwise
    /// ones carry the "pointwise" tag like their functional variants, so x.Add_(1.5) takes a plain number.
    /// </summary>
    private static OpOverload InPlace(string schema, string tags = "") => Def(schema, tags: tags);

    internal static Tensor T0(object?[] a) => (Tensor)a[0]!;

    internal static Tensor Tn(object?[] a, int i) => (Tensor)a[i]!;

    internal static long L(object? v) => v switch
    {
        SymInt s => (long)s,
        long l => l,
        int i => i,
        bool b => b ? 1 : 0,
        _ => throw new ArgumentException($"Expected an integer, got {v?.GetType().Name ?? "null"}."),
    };

    internal static SymInt S(object? v) => v switch
    {
        SymInt s => s,
        long l => l,
        int i => i,
        _ => throw new ArgumentException($"Expected an integer, got {v?.GetType().Name ?? "null"}."),
    };

    internal static SymInt[] Ss(object? v) => (SymInt[])v!;

    internal static long[] Ls(object? v) => ((SymInt[])v!).Select(s => (long)s).ToArray();

    internal static double D(object? v) => v switch
    {
        double d => d,
        long l => l,
        bool b => b ? 1 : 0,
        SymInt s => (long)s,
        _ => throw new ArgumentException($"Expected a number, got {v?.GetType().Name ?? "null"}."),
    };

    internal static bool B(object? v) => v is bool b ? b : throw new ArgumentException($"Expected a bool, got {v?.GetType().Name ?? "null"}.");
}
