using Graphport.Grains;
using Graphport.Zoo;

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
}
