using Graphport.Operators;

namespace Graphport.Tests.OpOracle;

/// <summary>
/// The engine covers the Core ATen opset (every overload declared with torch's exact schema, a meta function and a
/// CPU kernel) and every other aten op reaches it, as a composite or through a registered decomposition.
/// </summary>
public class OpCoverageTests
{
    private static IEnumerable<(string Name, string Schema)> CoreSchemas() =>
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "OpOracle", "core_aten_schemas.tsv"))
            .Where(l => l.Length > 0)
            .Select(l => l.Split('\t'))
            .Select(p => (p[0], p[1]));

    [Fact]
    public void Every_core_op_is_declared_with_torchs_schema()
    {
        var schemas = CoreSchemas().ToList();
        Assert.Equal(193, schemas.Count);
        Assert.Equal(CoreAtenOpset.All.OrderBy(n => n), schemas.Select(s => s.Name).OrderBy(n => n));
        foreach (var (name, schema) in schemas)
        {
            Assert.True(Torch.Ops.TryGet(name, out var op), $"{name} is not declared");
            Assert.Equal("aten::" + schema, op.Schema.ToString());
            Assert.True(op.IsCore);
        }
    }

    [Fact]
    public void Every_core_op_has_a_meta_and_a_cpu_kernel()
    {
        var coverage = OpCoverage.Compute();
        Assert.Equal("core ops: 193/193, with CPU kernel: 193, with meta: 193", coverage.ToString().Split(Environment.NewLine)[0]);
        Assert.Empty(coverage.MissingCore);
        Assert.Empty(coverage.CoreWithoutMeta);
        Assert.Empty(coverage.CoreWithoutKernel);
    }

    [Fact]
    public void Every_aten_op_is_core_composite_or_decomposed()
    {
        // Run-time assertions (side effects) stay in every dialect, as in torch; so do the complex-number ops torch
        // has no decomposition for.
        var unreachable = Torch.Ops.All
            .Where(op => op.Namespace == "aten" && !op.IsCore && !op.StaysThroughDecomposition && op.Composite is null && !Decompositions.Has(op))
            .Select(op => op.Name)
            .ToList();
        Assert.True(unreachable.Count == 0, $"aten ops with neither a composite body nor a decomposition: {string.Join(", ", unreachable)}");
        Assert.Empty(OpCoverage.Compute().NonCoreUnreachable);
    }

    [Fact]
    public void The_report_lists_what_falls_short()
    {
        var report = OpCoverage.Compute().ToString().Split(Environment.NewLine);
        Assert.StartsWith("non-core aten ops: ", report[1]);
        Assert.EndsWith(", 0 neither", report[1]);
    }

    [Fact]
    public void Only_the_complex_ops_torch_keeps_through_run_decompositions_are_kept_and_each_has_a_kernel()
    {
        var kept = Torch.Ops.All.Where(op => op.Tags.Contains("complex")).Select(op => op.Name).Order().ToList();
        Assert.Equal(["aten::_conj", "aten::_fft_c2c", "aten::angle", "aten::complex", "aten::conj_physical", "aten::polar", "aten::view_as_complex", "aten::view_as_real"], kept);
        Assert.All(kept, name => Assert.NotNull(Torch.Ops[name].Kernel));
        var spectrum = Torch.Ops["aten::_fft_r2c"].CallTensor(Torch.Ones(8), new long[] { 0 }, 0L, true);
        Assert.Equal(DType.Complex64, spectrum.DType);
        Assert.Equal(8.0, spectrum[0].Real.Item());
    }
}
