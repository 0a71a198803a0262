namespace Graphport.Grains;

/// <summary>
/// One zoo batch (key: batch id): fans the models out over the cluster, persists each model's row, and picks
/// unfinished rows up again when it is activated anew (after its silo died).
/// </summary>
[Alias("Graphport.IZooExportGrain")]
public interface IZooExportGrain : IGrainWithStringKey
{
    /// <summary>Starts the batch (a second call returns progress without restarting).</summary>
    [Alias("Start")]
    Task<ZooProgress> StartAsync(ZooExportRequest request);

    /// <summary>Progress so far; throws NotFound for a batch that was never started.</summary>
    [Alias("GetProgress")]
    Task<ZooProgress> GetProgressAsync();
}
