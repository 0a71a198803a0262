namespace Graphport.Grains;

/// <summary>
/// Dynamic batching of executor calls (off by default: MaxBatchSize 1). When on, concurrent calls to one program
/// version whose inputs differ only in their batch size are concatenated along the program's symbolic batch
/// dimension, run once, and split back. Turn it on only for programs whose rows are independent along that
/// dimension (inference models are; a program that reduces over the batch is not).
/// </summary>
public sealed class BatchingOptions
{
    /// <summary>The most requests one backend run serves; 1 turns batching off.</summary>
    public int MaxBatchSize { get; set; } = 1;

    /// <summary>How long the first request of a batch waits for others before the batch runs.</summary>
    public TimeSpan MaxQueueDelay { get; set; } = TimeSpan.FromMilliseconds(2);

    public bool Enabled => MaxBatchSize > 1;

    /// <summary>Throws ArgumentException naming the setting to fix.</summary>
    public void Validate()
    {
        if (MaxBatchSize < 1) throw new ArgumentException($"{nameof(MaxBatchSize)} must be at least 1 (1 turns batching off), got {MaxBatchSize}.");
        if (MaxQueueDelay < TimeSpan.Zero || MaxQueueDelay > TimeSpan.FromSeconds(10))
            throw new ArgumentException($"{nameof(MaxQueueDelay)} must be between 0 and 10 s, got {MaxQueueDelay}.");
    }
}
