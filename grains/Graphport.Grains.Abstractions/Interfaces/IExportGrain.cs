namespace Graphport.Grains;

/// <summary>One export job (key: a fresh Guid): traces the source and stores the program as a new version.</summary>
[Alias("Graphport.IExportGrain")]
public interface IExportGrain : IGrainWithGuidKey
{
    /// <summary>Exports and stores; a second call returns the first call's result. Failures throw GraphportException.</summary>
    [Alias("Export")]
    Task<ExportResult> ExportAsync(ExportRequest request);

    /// <summary>
    /// Stores a program a client made (its .pt2 archive bytes) as a new version of its name, with the origin the
    /// request gives. An invalid name or origin, or a damaged archive, throws InvalidRequest and stores nothing.
    /// </summary>
    [Alias("UploadRequest")]
    Task<ExportResult> UploadAsync(UploadRequest request);

    /// <summary>An upload without an origin; kept for clients that predate <see cref="UploadRequest"/>.</summary>
    [Alias("Upload")]
    Task<ExportResult> UploadAsync(string programName, byte[] pt2Archive);
}
