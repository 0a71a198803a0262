using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Storage;

namespace Graphport.Grains;

/// <summary>
/// One zoo batch. Starting it persists a Pending row per model and dispatches the models to worker grains
/// (anywhere in the cluster), at most MaxParallel at a time; every change of a row is persisted. An activation
/// that finds unfinished rows in storage (its silo died, or it was deactivated) dispatches them again, so the
/// next progress query after a silo loss resumes the batch.
/// </summary>
public sealed class ZooExportGrain(
    [PersistentState("zoo", GraphportStorage.ProviderName)] IPersistentState<ZooBatchState> state,
    ILogger<ZooExportGrain> logger) : Grain, IZooExportGrain
{
    private const int MaxAttempts = 3;

    private readonly SemaphoreSlim writes = new(1, 1);
    private bool dispatched;
    private bool retired;

    private string BatchId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Request is null || state.State.FinishedAt is not null) return;
        state.State.Resumes++;
        logger.LogInformation("Resuming zoo batch {Batch}: {Count} models unfinished", BatchId, state.State.Models.Count(m => !m.IsFinished));
        await PersistAsync();
        Dispatch();
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Workers may still answer this activation's calls after it is gone; their rows must not be written from
        // here, or they would race the activation that resumes the batch elsewhere.
        retired = true;
        return Task.CompletedTask;
    }

    public async Task<ZooProgress> StartAsync(ZooExportRequest request)
    {
        if (state.State.Request is not null) return Progress();
        ZooRequests.Validate(request);
        state.State.Request = request;
        state.State.Models = ZooRequests.Models(request).Select(m => new ZooModelStatus(m, ZooModelState.Pending)).ToList();
        state.State.StartedAt = DateTimeOffset.UtcNow;
        await PersistAsync();
        Dispatch();
        return Progress();
    }

    public Task<ZooProgress> GetProgressAsync()
    {
        if (state.State.Request is null) throw new GraphportException(GraphportErrorKind.NotFound, $"No zoo batch '{BatchId}' was started.");
        return Task.FromResult(Progress());
    }

    private ZooProgress Progress() =>
        new(BatchId, [.. state.State.Models], state.State.StartedAt, state.State.FinishedAt, state.State.Resumes, RuntimeIdentity);

    private void Dispatch()
    {
        if (dispatched) return;
        dispatched = true;
        // Stay active while the batch runs, even when nobody asks for progress.
        DelayDeactivation(TimeSpan.FromHours(2));
        _ = RunAllAsync();
    }

    private async Task RunAllAsync()
    {
        try
        {
            var request = state.State.Request!;
            using var gate = new SemaphoreSlim(request.MaxParallel);
            var unfinished = state.State.Models.Where(m => !m.IsFinished).Select(m => m.Model).ToList();
            await Task.WhenAll(unfinished.Select(model => RunOneAsync(model, request, gate)));
            state.State.FinishedAt = DateTimeOffset.UtcNow;
            await PersistAsync();
            logger.LogInformation("Zoo batch {Batch} finished: {Passed}/{Total} passed", BatchId,
                state.State.Models.Count(m => m.State == ZooModelState.Passed), state.State.Models.Count);
        }
        catch (Exception e)
        {
            // Nobody awaits this task; the stored rows stay as they are and the next activation resumes from them.
            logger.LogError(e, "Zoo batch {Batch} stopped before finishing", BatchId);
            DeactivateOnIdle();
        }
        finally
        {
            DelayDeactivation(TimeSpan.Zero);
        }
    }

    private async Task RunOneAsync(string model, ZooExportRequest request, SemaphoreSlim gate)
    {
        await gate.WaitAsync();
        try
        {
            var worker = GrainFactory.GetGrain<IZooModelGrain>(GrainKeys.ZooModel(BatchId, model));
            for (int attempt = 1; ; attempt++)
            {
                var row = await UpdateAsync(model, s => s with { State = ZooModelState.Running, Attempts = s.Attempts + 1 });
                try
                {
                    var result = await worker.RunAsync(request);
                    await UpdateAsync(model, _ => result with { Attempts = row.Attempts });
                    return;
                }
                catch (Exception e) when (EngineErrors.IsTransient(e) && attempt < MaxAttempts)
                {
                    logger.LogWarning("Zoo model {Model} of {Batch} lost its worker ({Message}); dispatching again", model, BatchId, e.Message);
                }
                catch (Exception e)
                {
                    await UpdateAsync(model, s => s with { State = ZooModelState.Failed, Error = $"{(e is GraphportException ? "" : e.GetType().Name + ": ")}{e.Message}" });
                    return;
                }
            }
        }
        catch (Exception e)
        {
            // Persisting failed; the row stays unfinished in storage and is dispatched again on the next activation.
            logger.LogError(e, "Zoo model {Model} of {Batch}: recording its result failed", model, BatchId);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<ZooModelStatus> UpdateAsync(string model, Func<ZooModelStatus, ZooModelStatus> change)
    {
        int index = state.State.Models.FindIndex(m => m.Model == model);
        var updated = change(state.State.Models[index]);
        state.State.Models[index] = updated;
        await PersistAsync();
        return updated;
    }

    // Rows finish concurrently; one write at a time keeps the etag chain intact.
    private async Task PersistAsync()
    {
        if (retired) return;
        await writes.WaitAsync();
        try
        {
            await state.WriteStateAsync();
        }
        catch (InconsistentStateException e)
        {
            // Another activation owns the batch now (this one outlived its silo's membership); step aside.
            logger.LogWarning("Zoo batch {Batch} was written elsewhere ({Message}); this activation retires", BatchId, e.Message);
            retired = true;
            DeactivateOnIdle();
        }
        finally
        {
            writes.Release();
        }
    }
}
