namespace Graphport;

/// <summary>A learnable tensor owned by a module (torch.nn.Parameter); it shares the data it wraps.</summary>
public sealed class Parameter : Tensor
{
    public Parameter(Tensor data, bool requiresGrad = true) : base(data)
    {
        RequiresGrad = requiresGrad;
    }

    public bool RequiresGrad { get; }
}

/// <summary>
/// Module state that is not learned (running statistics, masks); persistent buffers appear in the state dict.
/// </summary>
public sealed class Buffer : Tensor
{
    public Buffer(Tensor data, bool persistent = true) : base(data)
    {
        Persistent = persistent;
    }

    public bool Persistent { get; }
}
