using System.Diagnostics;

namespace Graphport.Grains;

/// <summary>
/// Dynamic batching for one executor: requests whose inputs agree in dtype and in every size but the batch one
/// wait together (until MaxBatchSize requests, the batch symbol's upper bound in rows, or MaxQueueDelay), run as
/// one concatenated call, and get their own rows back. Requests of other shapes never share a run. When a batched
/// run fails, each request runs alone, so an error reaches only the caller whose inputs caused it.
/// Used from one grain's scheduler only, so its state needs no locks.
/// </summary>
public sealed class RequestBatcher(BatchDimension dimension, BatchingOptions options, Func<Tensor[], int, Task<BackendRun>> run)
{
    private readonly Dictionary<string, PendingBatch> open = new(StringComparer.Ordinal);

    public async Task<BatchedResult> SubmitAsync(Tensor[] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var request = new BatchRequest(inputs);
        string? key = Key(inputs);
        if (key is null || request.Rows > dimension.MaxRows)
        {
            // Inputs that cannot share a run (mismatched batch sizes, scalars) run alone and meet the program's own checks.
            await RunAsync([request]);
            return await request.Completion.Task;
        }
        if (open.TryGetValue(key, out var pending) && pending.Rows + request.Rows > dimension.MaxRows)
        {
            open.Remove(key);
            _ = RunAsync(pending.Requests);
            pending = null;
        }
        if (pending is null)
        {
            pending = new PendingBatch();
            open[key] = pending;
            _ = CloseLaterAsync(key, pending);
        }
        pending.Add(request);
        if (pending.Requests.Count >= options.MaxBatchSize)
        {
            open.Remove(key);
            _ = RunAsync(pending.Requests);
        }
        return await request.Completion.Task;
    }

    private async Task CloseLaterAsync(string key, PendingBatch pending)
    {
        await Task.Delay(options.MaxQueueDelay);
        if (open.TryGetValue(key, out var current) && ReferenceEquals(current, pending))
        {
            open.Remove(key);
            await RunAsync(pending.Requests);
        }
    }

    private async Task RunAsync(List<BatchRequest> requests)
    {
        if (requests.Count == 1)
        {
            await RunAloneAsync(requests[0]);
            return;
        }
        var started = requests.Select(r => r.Queued.Elapsed.TotalMilliseconds).ToArray();
        BackendRun result;
        try
        {
            var concatenated = Enumerable.Range(0, requests[0].Inputs.Length)
                .Select(i => Torch.Cat(requests.Select(r => r.Inputs[i]), 0))
                .ToArray();
            result = await run(concatenated, requests.Count);
        }
        catch (Exception)
        {
            // One request's values may have failed the whole run (a check on data): give each its own answer.
            foreach (var request in requests) await RunAloneAsync(request);
            return;
        }
        long offset = 0;
        for (int i = 0; i < requests.Count; i++)
        {
            var request = requests[i];
            var outputs = result.Outputs.Select(o => o.Narrow(0, offset, request.Rows).Contiguous()).ToArray();
            offset += request.Rows;
            request.Completion.TrySetResult(new BatchedResult(outputs, started[i], result.ComputeMs, requests.Count));
        }
    }

    private async Task RunAloneAsync(BatchRequest request)
    {
        double queueMs = request.Queued.Elapsed.TotalMilliseconds;
        try
        {
            var result = await run(request.Inputs, 1);
            request.Completion.TrySetResult(new BatchedResult(result.Outputs, queueMs, result.ComputeMs, 1));
        }
        catch (Exception e)
        {
            request.Completion.TrySetException(e);
        }
    }

    /// <summary>Dtypes and every size but the first, per input; null when the inputs disagree on the batch size.</summary>
    private static string? Key(Tensor[] inputs)
    {
        if (inputs.Length == 0 || inputs.Any(t => t.Dim() == 0)) return null;
        long rows = (long)inputs[0].Shape[0];
        if (inputs.Any(t => (long)t.Shape[0] != rows)) return null;
        return string.Join(";", inputs.Select(t => t.DType + "[" + string.Join(",", t.Shape.Skip(1).Select(s => (long)s)) + "]"));
    }

    private sealed class BatchRequest(Tensor[] inputs)
    {
        public Tensor[] Inputs { get; } = inputs;
        public long Rows { get; } = inputs.Length > 0 && inputs[0].Dim() > 0 ? (long)inputs[0].Shape[0] : 0;
        public Stopwatch Queued { get; } = Stopwatch.StartNew();
        public TaskCompletionSource<BatchedResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class PendingBatch
    {
        public List<BatchRequest> Requests { get; } = [];
        public long Rows { get; private set; }

        public void Add(BatchRequest request)
        {
            Requests.Add(request);
            Rows += request.Rows;
        }
    }
}
