namespace Graphport.Grains;

/// <summary>One run of the compiled program: its outputs and how long the backend took.</summary>
public sealed record BackendRun(Tensor[] Outputs, double ComputeMs);
