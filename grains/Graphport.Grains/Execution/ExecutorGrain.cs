using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Graphport.Grains;

/// <summary>
/// Serves one program version. On activation it loads the program, compiles it with this silo's backend and
/// runs it once on warm-up inputs; each call then converts inputs, runs on the thread pool and converts outputs.
/// A load failure is kept and reported to callers (and the activation retired, so a later call tries again).
/// Calls run one at a time (dynamic batching is still to come); each is counted in <see cref="ServingMetrics"/>.
/// </summary>
[PreferSiloMetadata(SiloMetadataKeys.Gpu, "true")]
public sealed class ExecutorGrain(ProgramStore store, BackendSelector backends, ILogger<ExecutorGrain> logger) : Grain, IExecutorGrain
{
    private ProgramRef program = new("unknown", 1);
    private ICompiledProgram? compiled;
    private GraphportException? loadError;
    private string backendName = "";
    private string deviceName = "";
    private double loadMs, compileMs, warmupMs;
    private long invocations;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        using var activity = GraphportTelemetry.Grains.StartActivity("load_executor");
        try
        {
            program = ParseKey();
            activity?.SetTag("graphport.program", program.ToString());
            var watch = Stopwatch.StartNew();
            var stored = await GrainFactory.GetGrain<IProgramGrain>(program.Name).GetVersionAsync(program.Version);
            var loaded = await store.LoadAsync(program, stored.Payload, cancellationToken);
            loadMs = watch.Elapsed.TotalMilliseconds;

            var (backend, device) = backends.Select();
            backendName = backend.Name;
            deviceName = device.ToString();
            watch.Restart();
            compiled = await Task.Run(() => backend.Compile(loaded, device), cancellationToken);
            compileMs = watch.Elapsed.TotalMilliseconds;
            await WarmUpAsync(loaded);
            logger.LogInformation("Executor {Program} ready on {Device} ({Backend}): load {Load:F0} ms, compile {Compile:F0} ms, warm-up {Warmup:F0} ms",
                program, deviceName, backendName, loadMs, compileMs, warmupMs);
        }
        catch (Exception e)
        {
            loadError = EngineErrors.FromExport(e);
            logger.LogWarning("Executor {Key} could not load: {Message}", this.GetPrimaryKeyString(), loadError.Message);
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        compiled?.Dispose();
        return Task.CompletedTask;
    }

    public async Task<InvokeResult> InvokeAsync(TensorData[] inputs)
    {
        var queued = Stopwatch.StartNew();
        var tags = ServingMetrics.For(program);
        ServingMetrics.Requests.Add(1, tags);
        try
        {
            var ready = Ready();
            using var activity = GraphportTelemetry.Grains.StartActivity("invoke");
            activity?.SetTag("graphport.program", program.ToString());
            var tensors = ToTensors(inputs);
            // Calls run one at a time on this grain, so the queue time is what conversion took before the run.
            double queueMs = queued.Elapsed.TotalMilliseconds;
            ServingMetrics.QueueDuration.Record(queueMs, tags);
            var watch = Stopwatch.StartNew();
            Tensor[] outputs;
            try
            {
                outputs = await Task.Run(() => ready.Run(tensors));
            }
            catch (Exception e)
            {
                // The program is unchanged by a failed run: the next call is served as usual.
                throw EngineErrors.FromExecution(e);
            }
            double computeMs = watch.Elapsed.TotalMilliseconds;
            ServingMetrics.ComputeDuration.Record(computeMs, tags);
            ServingMetrics.BatchSize.Record(1, tags);
            invocations++;
            return new InvokeResult(outputs.Select(TensorData.FromTensor).ToArray(), queueMs, computeMs, backendName, deviceName, RuntimeIdentity);
        }
        catch (GraphportException e)
        {
            ServingMetrics.Failed(program, e.Kind);
            throw;
        }
    }

    public Task<ExecutorStatus> GetStatusAsync() =>
        Task.FromResult(new ExecutorStatus(program, compiled is not null && loadError is null, backendName, deviceName, RuntimeIdentity,
            loadMs, compileMs, warmupMs, invocations, loadError?.Message));

    private async Task WarmUpAsync(ExportedProgram loaded)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            var inputs = WarmupInputs.For(loaded);
            await Task.Run(() => compiled!.Run(inputs));
        }
        catch (Exception e)
        {
            // Warm-up inputs are guesses (e.g. zeros where a program checks values); a failure here is not the caller's.
            logger.LogWarning("Warm-up of {Program} failed, serving anyway: {Message}", program, e.Message);
        }
        warmupMs = watch.Elapsed.TotalMilliseconds;
    }

    private ICompiledProgram Ready()
    {
        if (loadError is not null)
        {
            DeactivateOnIdle();
            throw loadError;
        }
        return compiled ?? throw new GraphportException(GraphportErrorKind.Internal, $"Executor {program} has no compiled program.");
    }

    private static Tensor[] ToTensors(TensorData[]? inputs)
    {
        if (inputs is null) throw new GraphportException(GraphportErrorKind.InvalidInput, "No inputs were sent.");
        var result = new Tensor[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            if (inputs[i] is null) throw new GraphportException(GraphportErrorKind.InvalidInput, $"Input {i} is empty.");
            try
            {
                result[i] = inputs[i].ToTensor();
            }
            catch (ArgumentException e)
            {
                throw new GraphportException(GraphportErrorKind.InvalidInput, $"Input {i}: {e.Message}");
            }
        }
        return result;
    }

    private ProgramRef ParseKey()
    {
        string key = this.GetPrimaryKeyString();
        ProgramRef parsed;
        try
        {
            parsed = ProgramRef.Parse(key);
        }
        catch (ArgumentException e)
        {
            throw new GraphportException(GraphportErrorKind.InvalidRequest, e.Message);
        }
        if (parsed.IsLatest) throw new GraphportException(GraphportErrorKind.InvalidRequest, $"Executor key '{key}' names no version; use NAME@VERSION.");
        return parsed;
    }
}
