using Graphport.Grains;
using Graphport.Silo;
using Graphport.Zoo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Graphport.Cluster.Tests;

[Collection(SharedClusterCollection.Name)]
public sealed class ClusterGrainTests(SharedClusterFixture fixture)
{
    private IClusterClient Client => fixture.Cluster.Client;

    [Fact]
    public async Task Zoo_model_exported_decomposed_and_invoked_on_the_cluster_equals_eager()
    {
        var exported = await Client.GetGrain<IExportGrain>(Guid.NewGuid()).ExportAsync(ExportRequest.Zoo("mlp", "e2e-mlp"));
        Assert.Equal(new ProgramRef("e2e-mlp", 1), exported.Program);
        Assert.Equal(ProgramVersionKind.Exported, exported.Info.Kind);
        Assert.Equal("x: float32[s0, 784]", Assert.Single(exported.Info.Inputs).ToString());

        var decomposed = await Client.GetGrain<IDecompositionGrain>(GrainKeys.Decomposition(exported.Program, "core")).DecomposeAsync();
        Assert.Equal(new ProgramRef("e2e-mlp", 2), decomposed.Program);
        Assert.Equal((1, "core"), (decomposed.Info.DerivedFrom, decomposed.Info.Table));

        var inputs = ModelZoo.Get("mlp").ExampleInputs(3).Cast<Tensor>().ToArray();
        var result = await Client.GetGrain<IExecutorGrain>(GrainKeys.Executor(decomposed.Program)).InvokeAsync(inputs.Select(TensorData.FromTensor).ToArray());
        var output = Assert.Single(result.Outputs).ToTensor();
        var expected = await EagerReference.RunAsync(fixture.Cluster, exported.Program, "mlp", inputs);
        Assert.Equal([3L, 10L], output.Shape.Select(s => (long)s));
        Assert.True(EagerReference.MaxDifference(output, expected) < 1e-4, $"max difference {EagerReference.MaxDifference(output, expected)}");
    }

    [Fact]
    public async Task The_core_gqa_table_decomposes_grouped_query_attention_without_copying_key_and_value_per_group()
    {
        // A torch-made archive of causal self-attention over 4 query heads and 2 key/value heads, repeated per query
        // group before scaled_dot_product_attention as transformers' repeat_kv does (tests/fixtures/pt2/make_fixtures.py).
        string fixture = Path.Combine(Graphport.Tests.Interop.TorchPython.RepositoryRoot(), "tests", "fixtures", "pt2", "torch", "grouped_attention.pt2");
        var uploaded = await Client.GetGrain<IExportGrain>(Guid.NewGuid()).UploadAsync("gqa-" + Guid.NewGuid().ToString("N")[..8], await File.ReadAllBytesAsync(fixture));
        var core = await Client.GetGrain<IDecompositionGrain>(GrainKeys.Decomposition(uploaded.Program, DecompositionTables.Core)).DecomposeAsync();
        var grouped = await Client.GetGrain<IDecompositionGrain>(GrainKeys.Decomposition(uploaded.Program, DecompositionTables.CoreGroupedAttention)).DecomposeAsync();
        Assert.Equal((1, "core-gqa"), (grouped.Info.DerivedFrom, grouped.Info.Table));

        // torch's decomposition copies the repeated key and value (a float clone of unsqueeze-then-expand each); the
        // grouped one does not (its one such clone is the causal mask spread over the folded rows, of bools).
        async Task<int> RepeatCopies(ProgramRef program)
        {
            var archive = await Client.GetGrain<IProgramGrain>(program.Name).GetArchiveAsync(program.Version);
            using var stream = new MemoryStream(archive.Bytes);
            return ExportedProgram.Load(stream).Graph.Nodes.Count(IsRepeatCopy);
        }
        Assert.Equal(2, await RepeatCopies(core.Program));
        Assert.Equal(0, await RepeatCopies(grouped.Program));

        // Executors on the three versions give the same attention, on random inputs.
        var x = Torch.Randn(2, 5, 16);
        async Task<Tensor> Invoke(ProgramRef program) =>
            Assert.Single((await Client.GetGrain<IExecutorGrain>(GrainKeys.Executor(program)).InvokeAsync([TensorData.FromTensor(x)])).Outputs).ToTensor();
        var reference = await Invoke(uploaded.Program);
        foreach (var program in new[] { core.Program, grouped.Program })
            Assert.True(EagerReference.MaxDifference(await Invoke(program), reference) < 1e-5, $"{program} differs from the uploaded program");
    }

    private static bool IsRepeatCopy(Graphs.Node node) =>
        node.Op?.Name == "aten::clone" && node.TensorValue?.DType == DType.Float32 &&
        node.Args[0] is Graphs.Node { Op.Name: "aten::expand" } expand && expand.Args[0] is Graphs.Node { Op.Name: "aten::unsqueeze" };

    [Fact]
    public async Task An_executor_compiles_and_warms_up_once_when_it_activates()
    {
        var exported = await Client.GetGrain<IExportGrain>(Guid.NewGuid()).ExportAsync(TestModules.TinyExport("warmed"));
        var executor = Client.GetGrain<IExecutorGrain>(GrainKeys.Executor(exported.Program));

        await executor.InvokeAsync([TensorData.FromTensor(Torch.Randn(3, 4))]);
        await executor.InvokeAsync([TensorData.FromTensor(Torch.Randn(5, 4))]);
        var status = await executor.GetStatusAsync();

        Assert.True(status.Ready, status.Error);
        Assert.Equal((CpuInterpreterBackend.BackendName, "cpu"), (status.Backend, status.Device));
        Assert.True(status.WarmupMs > 0);
        Assert.Equal(2, status.Invocations);
    }

    [Fact]
    public async Task The_silo_reports_healthy_when_it_is_active_and_its_blob_store_and_device_work()
    {
        var health = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<HealthCheckService>();

        var report = await health.CheckHealthAsync();

        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Equal([BlobStoreHealthCheck.Name, DeviceHealthCheck.Name, MembershipHealthCheck.Name], report.Entries.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("device cpu", report.Entries[DeviceHealthCheck.Name].Description);
        Assert.Contains("active", report.Entries[MembershipHealthCheck.Name].Description);
    }
}
