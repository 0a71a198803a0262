namespace Graphport.Grains;

/// <summary>A named program and its versions, oldest first; no versions means nothing was stored under the name.</summary>
[GenerateSerializer, Immutable, Alias("Graphport.ProgramInfo")]
public sealed record ProgramInfo([property: Id(0)] string Name, [property: Id(1)] ProgramVersionInfo[] Versions)
{
    public bool Exists => Versions.Length > 0;

    public ProgramVersionInfo? Latest => Versions.Length > 0 ? Versions[^1] : null;
}
