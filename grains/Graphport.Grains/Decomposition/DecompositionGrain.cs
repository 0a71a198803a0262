using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Graphport.Grains;

/// <summary>
/// Decomposes one version with one table into a new version of the same program. The key names both, so the work
/// is done once: a repeated call, here or after a restart, finds the version made before and returns it.
/// </summary>
public sealed class DecompositionGrain(ProgramStore store, ILogger<DecompositionGrain> logger) : Grain, IDecompositionGrain
{
    public async Task<DecompositionResult> DecomposeAsync()
    {
        try
        {
            var (source, requestedTable) = ParseKey();
            string table = DecompositionTables.Normalize(requestedTable);
            var program = GrainFactory.GetGrain<IProgramGrain>(source.Name);

            if (await program.FindDerivedAsync(source.Version, table) is int existing)
            {
                var earlier = await program.GetVersionAsync(existing);
                return new DecompositionResult(earlier.Info.Ref, earlier.Info, 0, Reused: true);
            }

            using var activity = GraphportTelemetry.Grains.StartActivity("decompose_program");
            activity?.SetTag("graphport.program", source.ToString());
            activity?.SetTag("graphport.table", table);
            var stored = await program.GetVersionAsync(source.Version);
            var loaded = await store.LoadAsync(source, stored.Payload);
            var watch = Stopwatch.StartNew();
            var decomposed = await Task.Run(() => DecompositionTables.Apply(loaded, table));
            double ms = watch.Elapsed.TotalMilliseconds;
            logger.LogInformation("Decomposed {Program} with {Table} in {Ms:F0} ms", source, table, ms);

            var provenance = stored.Provenance.Then(table);
            var payload = await store.SaveAsync(decomposed, provenance);
            var draft = ProgramSummary.Describe(decomposed, ProgramVersionKind.Decomposed, $"decomposed from v{source.Version} with {table}", source.Version, table);
            var info = await program.AddVersionAsync(draft, payload, provenance);
            store.Remember(info.Ref, payload, decomposed);
            return new DecompositionResult(info.Ref, info, ms, Reused: false);
        }
        catch (Exception e)
        {
            throw EngineErrors.FromExport(e);
        }
    }

    private (ProgramRef Program, string Table) ParseKey()
    {
        try
        {
            return GrainKeys.ParseDecomposition(this.GetPrimaryKeyString());
        }
        catch (ArgumentException e)
        {
            throw new GraphportException(GraphportErrorKind.InvalidRequest, e.Message);
        }
    }
}
