namespace Graphport;

/// <summary>
/// torch's memory formats, as a MemoryFormat argument holds them: <c>clone(x, memory_format=torch.contiguous_format)</c>
/// is what reshape records for a tensor it cannot view, and what the program must say, because torch's clone
/// without it keeps a dense tensor's strides (preserve_format) and the _unsafe_view after it would then fail. The
/// values are the schema's MemoryFormat numbers (torch/_export/serde/schema.py).
/// </summary>
public enum MemoryFormat
{
    Contiguous = 1,
    ChannelsLast = 2,
    ChannelsLast3d = 3,
    Preserve = 4,
}

public static class MemoryFormatNames
{
    /// <summary>torch's name without "torch.": contiguous_format, channels_last, channels_last_3d, preserve_format.</summary>
    public static string TorchName(this MemoryFormat format) => format switch
    {
        MemoryFormat.Contiguous => "contiguous_format",
        MemoryFormat.ChannelsLast => "channels_last",
        MemoryFormat.ChannelsLast3d => "channels_last_3d",
        MemoryFormat.Preserve => "preserve_format",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Not a memory format."),
    };
}
