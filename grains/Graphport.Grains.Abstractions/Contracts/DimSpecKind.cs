namespace Graphport.Grains;

/// <summary>The engine's Dim kinds that make sense on the wire (derived dims are left for later).</summary>
[GenerateSerializer, Alias("Graphport.DimSpecKind")]
public enum DimSpecKind
{
    /// <summary>A named symbol with the spec's bounds; every guard must follow from them, or export fails with fixes.</summary>
    Named,

    /// <summary>Dynamic where the code allows, static otherwise (Dim.Auto).</summary>
    Auto,

    /// <summary>Must stay dynamic (Dim.Dynamic).</summary>
    Dynamic,

    /// <summary>Fixed to the example's size (Dim.Static).</summary>
    Static,
}
