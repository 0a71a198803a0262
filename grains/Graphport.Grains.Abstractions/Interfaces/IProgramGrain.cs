namespace Graphport.Grains;

/// <summary>A named program (key: its name): the persisted list of its versions and where their bytes are.</summary>
[Alias("Graphport.IProgramGrain")]
public interface IProgramGrain : IGrainWithStringKey
{
    [Alias("GetInfo")]
    Task<ProgramInfo> GetInfoAsync();

    /// <summary>The version's description and payload ids; version 0 means the latest. Throws NotFound.</summary>
    [Alias("GetVersion")]
    Task<StoredProgramVersion> GetVersionAsync(int version);

    /// <summary>
    /// Appends a version whose blobs are already stored; returns it with its number. The grain fills in the
    /// name, number and time, so <paramref name="draft"/>'s are ignored.
    /// </summary>
    [Alias("AddVersion")]
    Task<ProgramVersionInfo> AddVersionAsync(ProgramVersionInfo draft, ProgramPayload payload, ProgramProvenance provenance);

    /// <summary>The version made earlier by decomposing <paramref name="version"/> with <paramref name="table"/>, if any.</summary>
    [Alias("FindDerived")]
    Task<int?> FindDerivedAsync(int version, string table);

    /// <summary>The version an export with this request key stored, if any (see ExportRequest.RequestKey).</summary>
    [Alias("FindRequest")]
    Task<ProgramVersionInfo?> FindRequestAsync(string requestKey);

    /// <summary>
    /// A version as a .pt2 archive (version 0 means the latest), to save to a file or load in another process.
    /// Throws NotFound for an unknown program or version.
    /// </summary>
    [Alias("GetArchive")]
    Task<Pt2Archive> GetArchiveAsync(int version);

    /// <summary>The printed graph of a version (FX's readable listing).</summary>
    [Alias("GetGraphText")]
    Task<string> GetGraphTextAsync(int version);
}
