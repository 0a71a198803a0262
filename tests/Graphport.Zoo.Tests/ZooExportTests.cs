using Graphport.Graphs;

namespace Graphport.Zoo.Tests;

public class ZooExportTests
{
    public static TheoryData<string> Models => new(ModelZoo.All.Select(m => m.Name));

    private static double MaxDifference(object? a, object? b) => (a, b) switch
    {
        (Tensor x, Tensor y) => (x - y).Abs().Max().Item(),
        _ => throw new InvalidOperationException("Zoo models return one tensor."),
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void Every_model_exports_with_a_dynamic_batch_and_matches_eager(string name)
    {
        Torch.ManualSeed(100);
        var model = ModelZoo.Get(name);
        var (module, ep) = model.Export(exampleBatch: 2);
        Assert.Contains(ep.RangeConstraints.Values, r => r.Lower == 2 && r.Upper == 1024);
        ep.Verify();
        foreach (long batch in new long[] { 1, 3 })
        {
            var inputs = model.ExampleInputs(batch);
            var expected = module.InvokeForward(inputs);
            var actual = ep.Module().Invoke(inputs);
            Assert.True(MaxDifference(actual, expected) < 1e-4, $"{name} at batch {batch}: max diff {MaxDifference(actual, expected)}");
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Decomposing_to_core_aten_never_changes_results(string name)
    {
        Torch.ManualSeed(101);
        var model = ModelZoo.Get(name);
        var (module, ep) = model.Export(exampleBatch: 2);
        var core = ep.RunDecompositions();
        Assert.All(core.Graph.Nodes.Where(n => n.Op is { Namespace: "aten" }), n => Assert.True(n.Op!.IsCore, $"{n.Op!.Name} is not core"));
        var inputs = model.ExampleInputs(2);
        Assert.True(MaxDifference(core.Module().Invoke(inputs), module.InvokeForward(inputs)) < 1e-4);
    }

    [Fact]
    public void Zoo_names_are_unique_and_unknown_names_list_the_models()
    {
        Assert.Equal(ModelZoo.All.Count, ModelZoo.All.Select(m => m.Name).Distinct().Count());
        var e = Assert.Throws<KeyNotFoundException>(() => ModelZoo.Get("alexnet"));
        Assert.Contains("resnet18", e.Message);
    }
}
