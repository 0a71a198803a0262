namespace Graphport.Operators;

/// <summary>
/// How much of the Core ATen opset the engine implements (declared with a meta function and a CPU kernel), and
/// whether every other aten op reaches core ops (as a composite that decomposes while tracing, or through a
/// registered decomposition). <see cref="ToString"/> is the report the CLI prints.
/// </summary>
public sealed record OpCoverage(
    int CoreTotal,
    int CoreDeclared,
    int CoreWithKernel,
    int CoreWithMeta,
    IReadOnlyList<string> MissingCore,
    IReadOnlyList<string> CoreWithoutKernel,
    IReadOnlyList<string> CoreWithoutMeta,
    int NonCoreComposite,
    int NonCoreDecomposed,
    IReadOnlyList<string> NonCoreUnreachable)
{
    /// <summary>Measures the ops registered in this process against the embedded Core ATen list.</summary>
    public static OpCoverage Compute()
    {
        var registry = OpRegistry.Instance;
        var core = CoreAtenOpset.All.OrderBy(n => n, StringComparer.Ordinal).ToList();
        var declared = new List<OpOverload>();
        var missing = new List<string>();
        foreach (var name in core)
        {
            if (registry.TryGet(name, out var op)) declared.Add(op);
            else missing.Add(name);
        }
        var nonCore = registry.All.Where(o => o.Namespace == "aten" && !o.IsCore && !o.StaysThroughDecomposition).ToList();
        return new OpCoverage(
            core.Count,
            declared.Count,
            declared.Count(o => o.Kernel is not null),
            declared.Count(o => o.Meta is not null),
            missing,
            declared.Where(o => o.Kernel is null).Select(o => o.Name).ToList(),
            declared.Where(o => o.Meta is null).Select(o => o.Name).ToList(),
            nonCore.Count(o => o.Composite is not null),
            nonCore.Count(o => o.Composite is null && Decompositions.Has(o)),
            nonCore.Where(o => o.Composite is null && !Decompositions.Has(o)).Select(o => o.Name).ToList());
    }

    /// <summary>
    /// First line: <c>core ops: N/193, with CPU kernel: N, with meta: N</c>; then one line per group of ops that fall
    /// short (missing core ops, core ops without kernel or meta, non-core ops that reach no core op).
    /// </summary>
    public override string ToString()
    {
        var lines = new List<string>
        {
            $"core ops: {CoreDeclared}/{CoreTotal}, with CPU kernel: {CoreWithKernel}, with meta: {CoreWithMeta}",
        };
        void Group(string title, IReadOnlyList<string> names)
        {
            if (names.Count > 0) lines.Add($"{title} ({names.Count}): {string.Join(", ", names)}");
        }
        Group("missing", MissingCore);
        Group("without CPU kernel", CoreWithoutKernel);
        Group("without meta", CoreWithoutMeta);
        lines.Add($"non-core aten ops: {NonCoreComposite} composite, {NonCoreDecomposed} with a decomposition, {NonCoreUnreachable.Count} neither");
        Group("non-core without decomposition", NonCoreUnreachable);
        return string.Join(Environment.NewLine, lines);
    }
}
