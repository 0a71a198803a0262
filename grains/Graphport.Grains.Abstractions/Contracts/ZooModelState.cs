namespace Graphport.Grains;

/// <summary>Where one model of a zoo batch is.</summary>
[GenerateSerializer, Alias("Graphport.ZooModelState")]
public enum ZooModelState
{
    Pending,
    Running,
    Passed,
    Failed,
}
