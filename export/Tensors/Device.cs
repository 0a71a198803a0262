namespace Graphport;

/// <summary>
/// A torch.device, as a factory call's device= argument holds it. Graphport's tensors live on the CPU, so its
/// factories record <see cref="Cpu"/>, as torch.export writes the trace's device into every factory call it
/// records: a .pt2 loaded into torch then says where each created tensor goes, and torch's move_to_device_pass can
/// retarget it (without it, torch makes the tensor on its default device, the CPU, even in a program moved to a GPU).
/// </summary>
public sealed record Device(string Type, int? Index = null)
{
    public static Device Cpu { get; } = new("cpu");

    /// <summary>Python's repr: device(type='cpu'), device(type='cuda', index=0).</summary>
    public override string ToString() => Index is { } index ? $"device(type='{Type}', index={index})" : $"device(type='{Type}')";
}
