using Orleans.Concurrency;

namespace Graphport.Grains;

/// <summary>
/// Serves one program version (key: "name@version"): loads and compiles it once on activation, warms up, then
/// runs each call. Placed on GPU silos when the cluster has any.
/// </summary>
[Alias("Graphport.IExecutorGrain")]
public interface IExecutorGrain : IGrainWithStringKey
{
    /// <summary>Runs the program; bad inputs throw GraphportException (InvalidInput) with torch's message.</summary>
    /// <remarks>Interleaves with other calls so concurrent requests can be batched; the grain serializes backend runs itself.</remarks>
    [Alias("Invoke"), AlwaysInterleave]
    Task<InvokeResult> InvokeAsync(TensorData[] inputs);

    [Alias("GetStatus")]
    Task<ExecutorStatus> GetStatusAsync();
}
