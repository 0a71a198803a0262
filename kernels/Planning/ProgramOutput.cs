namespace Graphport.Kernels.Planning;

/// <summary>One graph output: a tensor in its own contiguous buffer, or a constant (a size the program returns).</summary>
public sealed record ProgramOutput(OutputSpec Spec, StridedView? View, object? Constant)
{
    /// <summary>A buffer's or parameter's new value (the program writes it in place): the plan's last steps put it in
    /// that weight's own memory, and callers take the user outputs, not this.</summary>
    public bool WritesState => Spec.Kind is OutputKind.BufferMutation or OutputKind.ParameterMutation;
}
