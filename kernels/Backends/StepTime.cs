namespace Graphport.Kernels.Backends;

/// <summary>One step of a compiled program and its median device time (see <see cref="IProfiledProgram"/>).</summary>
public sealed record StepTime(string Name, string Kind, string Comment, double Milliseconds);
