using System.Reflection;
using Graphport.Zoo;
using Microsoft.Extensions.Logging;
using Orleans.Placement;

namespace Graphport.Grains;

/// <summary>
/// One model of a zoo batch, end to end through the cluster: ExportGrain (zoo:MODEL), DecompositionGrain (core),
/// ExecutorGrain on a random batch, then the same batch through the eager module carrying the exported weights.
/// Every failure becomes a Failed row with the message; the row is kept so a repeated call returns it. Workers are
/// placed at random so a batch spreads over the silos.
/// </summary>
[RandomPlacement]
public sealed class ZooModelGrain(ProgramStore store, ILogger<ZooModelGrain> logger) : Grain, IZooModelGrain
{
    private ZooModelStatus? result;

    public async Task<ZooModelStatus> RunAsync(ZooExportRequest request)
    {
        if (result is not null) return result;
        string key = this.GetPrimaryKeyString();
        string model = key[(key.LastIndexOf('/') + 1)..];
        var row = new ZooModelStatus(model, ZooModelState.Running, Silo: RuntimeIdentity);
        using var activity = GraphportTelemetry.Grains.StartActivity("zoo_model");
        activity?.SetTag("graphport.model", model);
        try
        {
            var definition = ModelZoo.Get(model);
            var exported = await GrainFactory.GetGrain<IExportGrain>(Guid.NewGuid()).ExportAsync(ExportRequest.Zoo(model, model, request.ExampleBatch) with { RequestKey = key });
            row = row with { Exported = exported.Program, ExportMs = exported.ExportMs };

            var decomposed = await GrainFactory.GetGrain<IDecompositionGrain>(GrainKeys.Decomposition(exported.Program, DecompositionTables.Core)).DecomposeAsync();
            row = row with { Decomposed = decomposed.Program, DecomposeMs = decomposed.DecomposeMs, Ops = decomposed.Info.OpCount };

            var inputs = definition.ExampleInputs(request.RunBatch).Cast<Tensor>().ToArray();
            var invoked = await GrainFactory.GetGrain<IExecutorGrain>(GrainKeys.Executor(decomposed.Program)).InvokeAsync(inputs.Select(TensorData.FromTensor).ToArray());
            row = row with { RunMs = invoked.ComputeMs };

            var stored = await GrainFactory.GetGrain<IProgramGrain>(model).GetVersionAsync(exported.Program.Version);
            var program = await store.LoadAsync(exported.Program, stored.Payload);
            var expected = await Task.Run(() => Eager(definition, program, inputs));
            var actual = invoked.Outputs.Select(o => o.ToTensor()).ToArray();
            var (maxError, scale) = Compare(actual, expected);
            bool passed = maxError <= request.Tolerance * Math.Max(1, scale);
            row = row with
            {
                State = passed ? ZooModelState.Passed : ZooModelState.Failed,
                MaxError = maxError,
                Error = passed ? null : $"max error {maxError:G3} exceeds the tolerance {request.Tolerance:G3} (outputs up to {scale:G3})",
            };
        }
        catch (Exception e) when (!EngineErrors.IsTransient(e))
        {
            // A lost silo is not the model's failure: that propagates, and the batch dispatches the model again.
            logger.LogWarning("Zoo model {Model} failed: {Message}", model, e.Message);
            row = row with { State = ZooModelState.Failed, Error = e is GraphportException ? e.Message : $"{e.GetType().Name}: {e.Message}" };
        }
        result = row;
        return row;
    }

    /// <summary>The model's own Forward with the exported weights loaded: the reference the cluster's result must match.</summary>
    private static Tensor[] Eager(ZooModel definition, ExportedProgram program, Tensor[] inputs)
    {
        var module = definition.Create();
        module.Eval();
        var own = module.StateDict();
        var missing = own.Keys.Where(k => !program.StateDict.ContainsKey(k)).ToList();
        if (missing.Count > 0) throw new InvalidOperationException($"The exported program lacks the module's state {string.Join(", ", missing)}.");
        module.LoadStateDict(own.Keys.ToDictionary(k => k, k => program.StateDict[k]));
        // ForwardMethod is the engine's public handle on Forward with boxed arguments.
        return TensorLists.Flatten(module.ForwardMethod.Invoke(module, BindingFlags.DoNotWrapExceptions, null, [.. inputs], null));
    }

    private static (double MaxError, double Scale) Compare(Tensor[] actual, Tensor[] expected)
    {
        if (actual.Length != expected.Length)
            throw new InvalidOperationException($"The executor returned {actual.Length} outputs, eager {expected.Length}.");
        double maxError = 0, scale = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            if (!actual[i].Shape.Equals(expected[i].Shape))
                throw new InvalidOperationException($"Output {i} has shape [{string.Join(", ", actual[i].Shape)}], eager [{string.Join(", ", expected[i].Shape)}].");
            var a = actual[i].To(DType.Float64);
            var e = expected[i].To(DType.Float64);
            maxError = Math.Max(maxError, (a - e).Abs().Max().Item());
            scale = Math.Max(scale, e.Abs().Max().Item());
        }
        return (maxError, scale);
    }
}
