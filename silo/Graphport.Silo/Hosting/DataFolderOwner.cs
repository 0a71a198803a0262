namespace Graphport.Silo;

/// <summary>The standing silo that holds a data folder, as it describes itself in DATA/silo.json for whoever it turns away.</summary>
public sealed record DataFolderOwner(string Silo, int ProcessId, string ClusterId, string Gateway, DateTimeOffset Started)
{
    public override string ToString() =>
        $"silo '{Silo}' (process {ProcessId}, cluster '{ClusterId}', gateway {Gateway}, since {Started.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z)";
}
