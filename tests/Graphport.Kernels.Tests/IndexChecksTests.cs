using Graphport.Kernels.Backends;
using Graphport.Kernels.Conformance;
using Graphport.Kernels.Planning;
using F = Graphport.Functional;

namespace Graphport.Kernels.Tests;

/// <summary>
/// Indices read out of tensors on the device (embedding ids, gather and scatter indices, <c>x[idx]</c>, index_put)
/// are checked against the size they index: one out of range fails the call with an error naming the op, its node,
/// the value and the valid range, instead of reading or writing outside a buffer (on a GPU a fault the driver keeps
/// for the whole process, and a silently wrong value where the read stays inside the buffer). The next call runs
/// as if nothing happened. Shown on the CPU twin (the IR) and on the generated CUDA C compiled for the CPU.
/// </summary>
public class IndexChecksTests
{
    public static TheoryData<bool> RunsCudaSource => new() { false, true };

    private static Tensor Ids(long[] values, params long[] shape) => Tensor.FromArray(values, shape);

    private static ICompiledProgram Compile(bool cudaSource, Func<Tensor[], Tensor> function, params Tensor[] inputs) =>
        new CpuTwinBackend(runCudaSource: cudaSource).Compile(new OpCase("index_check", function, () => inputs).Export(inputs));

    private static FusedProgram Plan(Func<Tensor[], Tensor> function, params Tensor[] inputs)
    {
        var core = ProgramPreparation.ToCore(new OpCase("index_check", function, () => inputs).Export(inputs));
        return FusionPlanner.Plan(core, ProgramPreparation.Bind(core, inputs));
    }

    private static void MatchesCpu(ICompiledProgram compiled, params Tensor[] inputs)
    {
        using var reference = new CpuBackend().Compile(compiled.Program);
        var expected = (Tensor)reference.Run(inputs)[0]!;
        var actual = (Tensor)compiled.Run(inputs)[0]!;
        Assert.True(actual.AllClose(expected, 1e-5, 1e-6), "after a refused call, a good one computes what the CPU does");
    }

    [Theory]
    [MemberData(nameof(RunsCudaSource))]
    public void An_embedding_id_past_the_table_is_refused_naming_the_op_the_id_and_the_rows(bool cudaSource)
    {
        Torch.ManualSeed(71);
        var table = Torch.Randn(10, 4);
        using var compiled = Compile(cudaSource, a => F.Embedding(a[0], a[1]) * 2.0, Ids([1, 2, 3, 4, 5, 6], 2, 3), table);
        foreach (long bad in new long[] { 10, 1000, -1 })
        {
            var error = Assert.Throws<DataFaultException>(() => compiled.Run([Ids([1, 2, bad, 4, 5, 6], 2, 3), table]));
            Assert.Equal("aten::embedding", error.Site.Op);
            Assert.Equal(bad, error.Value);
            Assert.Contains($"index {bad} is out of range for an embedding table of 10 rows; expected 0 <= index < 10", error.Message);
            Assert.Contains("token ids within the vocabulary", error.Message);
        }
        MatchesCpu(compiled, Torch.Randint(0, 10, 2, 3), table);
    }

    [Theory]
    [MemberData(nameof(RunsCudaSource))]
    public void An_advanced_index_counts_negatives_from_the_end_and_refuses_one_past_either_end(bool cudaSource)
    {
        Torch.ManualSeed(72);
        var x = Torch.Randn(10, 3);
        using var compiled = Compile(cudaSource, a => Torch.Ops["aten::index.Tensor"].CallTensor(a[0], new Tensor?[] { a[1] }) + 1.0, x, Ids([0, 9, -1, -10], 4));
        MatchesCpu(compiled, x, Ids([0, 9, -1, -10], 4));
        foreach (long bad in new long[] { 10, -11 })
        {
            var error = Assert.Throws<DataFaultException>(() => compiled.Run([x, Ids([0, bad, 2, 3], 4)]));
            Assert.Equal("aten::index.Tensor", error.Site.Op);
            Assert.Contains($"index {bad} is out of range for dim 0 of size 10; expected -10 <= index < 10", error.Message);
        }
        MatchesCpu(compiled, x, Ids([3, -2, 5, 0], 4));
    }

    [Theory]
    [MemberData(nameof(RunsCudaSource))]
    public void A_gather_index_past_its_dim_is_refused_though_the_read_would_stay_inside_the_buffer(bool cudaSource)
    {
        // Row 0's element 5 of a [3, 5] tensor is row 1's element 0: without the check, a wrong value and no error.
        Torch.ManualSeed(73);
        var x = Torch.Randn(3, 5);
        using var compiled = Compile(cudaSource, a => a[0].Gather(1, a[1]) * 3.0, x, Torch.Randint(0, 5, 3, 2));
        var error = Assert.Throws<DataFaultException>(() => compiled.Run([x, Ids([0, 5, 1, 2, 3, 4], 3, 2)]));
        var site = Assert.IsType<IndexSite>(error.Site);
        Assert.Equal(("aten::gather", 1, 5L), (site.Op, site.Dim, site.Size));
        Assert.Contains("index 5 is out of range for dim 1 of size 5; expected 0 <= index < 5", error.Message);
        MatchesCpu(compiled, x, Torch.Randint(0, 5, 3, 2));
    }

    [Theory]
    [MemberData(nameof(RunsCudaSource))]
    public void Scatter_add_and_accumulating_index_put_refuse_an_index_they_would_write_outside_of(bool cudaSource)
    {
        Torch.ManualSeed(74);
        var self = Torch.Randn(4, 6);
        using var scatter = Compile(cudaSource, a => Torch.Ops["aten::scatter_add"].CallTensor(a[0], 1L, a[1], a[2]), self, Torch.Randint(0, 6, 4, 3), Torch.Randn(4, 3));
        var error = Assert.Throws<DataFaultException>(() => scatter.Run([self, Ids([0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6], 4, 3), Torch.Randn(4, 3)]));
        var site = Assert.IsType<IndexSite>(error.Site);
        Assert.Equal(("aten::scatter_add", 1, 6L, 6L), (site.Op, site.Dim, site.Size, error.Value));
        MatchesCpu(scatter, self, Torch.Randint(0, 6, 4, 3), Torch.Randn(4, 3));

        using var put = Compile(cudaSource, a => Torch.Ops["aten::index_put"].CallTensor(a[0], new Tensor?[] { a[1] }, a[2], true), self, Ids([0, 2, 2], 3), Torch.Randn(3, 6));
        var refused = Assert.Throws<DataFaultException>(() => put.Run([self, Ids([0, -5, 2], 3), Torch.Randn(3, 6)]));
        Assert.Equal("aten::index_put", refused.Site.Op);
        Assert.Contains("index -5 is out of range for dim 0 of size 4; expected -4 <= index < 4", refused.Message);
        MatchesCpu(put, self, Ids([3, -1, 0], 3), Torch.Randn(3, 6));
    }

    [Fact]
    public void The_generated_cuda_c_checks_indices_read_from_tensors_and_trusts_the_planners_own_tables()
    {
        Torch.ManualSeed(75);
        var x = Torch.Randn(1, 2, 4, 4);
        var ids = Torch.Randint(0, 10, 2, 3);
        var gather = Plan(a => F.Embedding(a[0], a[1]), ids, Torch.Randn(10, 4));
        var source = Codegen.CudaRenderer.RenderModule(gather.GeneratedKernels);
        Assert.Equal([new IndexSite("aten::embedding", "embedding", 0, 10, false)], gather.FaultSites);
        Assert.Contains("gp_checked_index(gp_load(", source);
        Assert.Contains(", 10, false, 0)", source);
        // Bilinear resizing reads its taps from tables the planner fills: in range by construction, not checked.
        var resize = Plan(a => F.Interpolate(a[0], [7, 7], mode: "bilinear"), x);
        Assert.Contains(resize.Steps, s => s.Comment.Contains("upsample_bilinear2d", StringComparison.Ordinal));
        Assert.Empty(resize.FaultSites);
        Assert.DoesNotContain("gp_checked_index(", string.Concat(resize.GeneratedKernels.Select(k => Codegen.CudaRenderer.Render(k))));
    }
}
