namespace Graphport.Serialization;

/// <summary>One saved tensor: its dotted name and whether torch should rebuild it as an nn.Parameter.</summary>
internal sealed record PayloadEntry(string Name, Tensor Tensor, bool IsParameter, bool RequiresGrad);
