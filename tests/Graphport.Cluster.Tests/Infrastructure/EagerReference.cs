using System.Reflection;
using Graphport.Grains;
using Graphport.Zoo;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace Graphport.Cluster.Tests;

/// <summary>Runs a zoo model eagerly with the weights a stored program carries: what the cluster's results must equal.</summary>
public static class EagerReference
{
    public static async Task<Tensor> RunAsync(InProcessTestCluster cluster, ProgramRef exported, string model, Tensor[] inputs)
    {
        var services = cluster.Silos[0].ServiceProvider;
        var stored = await cluster.Client.GetGrain<IProgramGrain>(exported.Name).GetVersionAsync(exported.Version);
        var program = await services.GetRequiredService<ProgramStore>().LoadAsync(exported, stored.Payload);
        var module = ModelZoo.Get(model).Create();
        module.Eval();
        module.LoadStateDict(module.StateDict().Keys.ToDictionary(k => k, k => program.StateDict[k]));
        return (Tensor)module.ForwardMethod.Invoke(module, BindingFlags.DoNotWrapExceptions, null, [.. inputs], null)!;
    }

    public static double MaxDifference(Tensor a, Tensor b) => (a.To(DType.Float64) - b.To(DType.Float64)).Abs().Max().Item();
}
