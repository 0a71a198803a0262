namespace Graphport.Grains;

/// <summary>
/// The worker for one model of a zoo batch (key: "batch/model"): export, decompose, deploy, run, compare with
/// eager. Repeating the call after a success returns the same row.
/// </summary>
[Alias("Graphport.IZooModelGrain")]
public interface IZooModelGrain : IGrainWithStringKey
{
    [Alias("Run")]
    Task<ZooModelStatus> RunAsync(ZooExportRequest request);
}
