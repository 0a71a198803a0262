namespace Graphport.Kernels.Planning;

/// <summary>One graph output: a tensor in its own contiguous buffer, or a constant (a size the program returns).</summary>
public sealed record ProgramOutput(OutputSpec Spec, StridedView? View, object? Constant);
