namespace Graphport.Grains;

/// <summary>One user input of a program: name, dtype and sizes as printed ("s0", "784", "2*s0").</summary>
[GenerateSerializer, Immutable, Alias("Graphport.ProgramInputInfo")]
public sealed record ProgramInputInfo([property: Id(0)] string Name, [property: Id(1)] string DType, [property: Id(2)] string[] Sizes)
{
    public override string ToString() => $"{Name}: {DType}[{string.Join(", ", Sizes)}]";
}
