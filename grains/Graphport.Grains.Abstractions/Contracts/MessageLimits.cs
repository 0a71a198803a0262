namespace Graphport.Grains;

/// <summary>
/// How large one cluster message may be. Programs travel whole (an upload carries the .pt2 archive, weights and all),
/// and Orleans' default body limit of 100 MB would refuse models such as BERT-base (440 MB) by closing the
/// connection; silos and clients raise it to this, and the SDK checks an upload against it before sending.
/// </summary>
public static class MessageLimits
{
    /// <summary>The body limit silos and clients configure (MessagingOptions.MaxMessageBodySize): 1 GiB.</summary>
    public const int MaxMessageBodyBytes = 1 << 30;

    /// <summary>Room left in a message for the request around an upload's archive.</summary>
    public const int EnvelopeBytes = 1 << 20;

    /// <summary>The largest .pt2 archive an upload can carry.</summary>
    public const long MaxArchiveBytes = MaxMessageBodyBytes - EnvelopeBytes;

    /// <summary>Null when an archive of <paramref name="bytes"/> fits one message, else why not and what to do.</summary>
    public static string? ArchiveProblem(long bytes) => bytes <= MaxArchiveBytes ? null
        : $"The program's .pt2 archive is {bytes / (1024.0 * 1024):F0} MiB, more than one cluster message carries ({MaxArchiveBytes / (1024 * 1024)} MiB). " +
          "Store its weights in float16/bfloat16 or split the model; programs this large are not uploaded whole.";
}
