using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Graphport.Grains;

/// <summary>
/// Serves one program version. On activation it loads the program, compiles it with this silo's backend and
/// runs it once on warm-up inputs; each call then converts inputs, runs on the thread pool and converts outputs.
/// A load failure is kept and reported to callers (and the activation retired, so a later call tries again).
/// With <see cref="BatchingOptions"/> on, concurrent calls of one shape run as one batch (<see cref="RequestBatcher"/>);
/// each call is counted in <see cref="ServingMetrics"/>.
/// </summary>
[PreferSiloMetadata(SiloMetadataKeys.Gpu, "true")]
public sealed class ExecutorGrain(ProgramStore store, BackendSelector backends, BatchingOptions batching, ILogger<ExecutorGrain> logger) : Grain, IExecutorGrain
{
    // Calls interleave (InvokeAsync is AlwaysInterleave) so they can meet in a batch; backend runs still go one at a time.
    private readonly SemaphoreSlim runGate = new(1, 1);
    private RequestBatcher? batcher;
    private ProgramRef program = new("unknown", 1);
    private ICompiledProgram? compiled;
    private ExportedProgram? loaded;
    private GraphportException? loadError;
    private string backendName = "";
    private string deviceName = "";
    private double loadMs, compileMs, warmupMs;
    private long invocations;
    private long backendRuns;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        using var activity = GraphportTelemetry.Grains.StartActivity("load_executor");
        try
        {
            program = ParseKey();
            activity?.SetTag("graphport.program", program.ToString());
            var watch = Stopwatch.StartNew();
            var stored = await GrainFactory.GetGrain<IProgramGrain>(program.Name).GetVersionAsync(program.Version);
            loaded = await store.LoadAsync(program, stored.Payload, cancellationToken);
            loadMs = watch.Elapsed.TotalMilliseconds;

            var (backend, device) = backends.Select();
            backendName = backend.Name;
            deviceName = device.ToString();
            watch.Restart();
            compiled = await Task.Run(() => backend.Compile(loaded, device), cancellationToken);
            compileMs = watch.Elapsed.TotalMilliseconds;
            await WarmUpAsync(loaded);
            if (batching.Enabled && BatchDimension.Find(loaded) is { } dimension)
            {
                batcher = new RequestBatcher(dimension, batching, RunAsync);
                logger.LogInformation("Executor {Program} batches up to {Max} requests along {Symbol}", program, batching.MaxBatchSize, dimension.Symbol);
            }
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
        runGate.Dispose();
        return Task.CompletedTask;
    }

    public async Task<InvokeResult> InvokeAsync(TensorData[] inputs)
    {
        var tags = ServingMetrics.For(program);
        ServingMetrics.Requests.Add(1, tags);
        try
        {
            Ready();
            using var activity = GraphportTelemetry.Grains.StartActivity("invoke");
            activity?.SetTag("graphport.program", program.ToString());
            var tensors = ToTensors(inputs);
            BatchedResult result;
            if (batcher is not null)
            {
                result = await batcher.SubmitAsync(tensors);
            }
            else
            {
                // Without batching the only wait is for the run gate: whatever of the call was not compute.
                var queued = Stopwatch.StartNew();
                var run = await RunAsync(tensors, 1);
                result = new BatchedResult(run.Outputs, Math.Max(0, queued.Elapsed.TotalMilliseconds - run.ComputeMs), run.ComputeMs, 1);
            }
            activity?.SetTag("graphport.batch_size", result.BatchSize);
            ServingMetrics.QueueDuration.Record(result.QueueMs, tags);
            invocations++;
            return new InvokeResult(result.Outputs.Select(TensorData.FromTensor).ToArray(), result.QueueMs, result.ComputeMs, backendName, deviceName, RuntimeIdentity);
        }
        catch (GraphportException e)
        {
            ServingMetrics.Failed(program, e.Kind);
            throw;
        }
    }

    /// <summary>One backend run (of one request or a batch); engine errors become GraphportException.</summary>
    private async Task<BackendRun> RunAsync(Tensor[] inputs, int requests)
    {
        var ready = Ready();
        await runGate.WaitAsync();
        try
        {
            var watch = Stopwatch.StartNew();
            Tensor[] outputs;
            try
            {
                outputs = await Task.Run(() => ready.Run(inputs));
            }
            catch (DeviceLostException lost)
            {
                // The GPU can run nothing more in this process: this call, and every later one, runs on the CPU.
                try
                {
                    var moved = await Task.Run(() => MoveOffLostDevice(lost));
                    outputs = await Task.Run(() => moved.Run(inputs));
                }
                catch (Exception e)
                {
                    throw EngineErrors.FromExecution(e);
                }
            }
            catch (Exception e)
            {
                // The program is unchanged by a failed run: the next call is served as usual.
                throw EngineErrors.FromExecution(e);
            }
            double computeMs = watch.Elapsed.TotalMilliseconds;
            var tags = ServingMetrics.For(program);
            ServingMetrics.ComputeDuration.Record(computeMs, tags);
            ServingMetrics.BatchSize.Record(requests, tags);
            backendRuns++;
            return new BackendRun(outputs, computeMs);
        }
        finally
        {
            runGate.Release();
        }
    }

    public Task<ExecutorStatus> GetStatusAsync() =>
        Task.FromResult(new ExecutorStatus(program, compiled is not null && loadError is null, backendName, deviceName, RuntimeIdentity,
            loadMs, compileMs, warmupMs, invocations, loadError?.Message, backendRuns));

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

    /// <summary>Compiles the program again for the backend the selector picks now (the lost one supports nothing).</summary>
    private ICompiledProgram MoveOffLostDevice(DeviceLostException lost)
    {
        var (backend, device) = backends.Select();
        logger.LogWarning("Executor {Program}: {Message} Compiling it for {Backend} on {Device} and running the call there", program, lost.Message, backend.Name, device);
        var replacement = backend.Compile(loaded ?? throw new GraphportException(GraphportErrorKind.Internal, $"Executor {program} has no loaded program."), device);
        var old = compiled;
        (compiled, backendName, deviceName) = (replacement, backend.Name, device.ToString());
        old?.Dispose();
        return replacement;
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
