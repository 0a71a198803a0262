using Microsoft.Extensions.Logging;

namespace Graphport.Grains;

/// <summary>The list of program names, kept sorted and persisted; registering a known name writes nothing.</summary>
public sealed class ProgramCatalogGrain(
    [PersistentState("catalog", GraphportStorage.ProviderName)] IPersistentState<CatalogState> state,
    ILogger<ProgramCatalogGrain> logger) : Grain, IProgramCatalogGrain
{
    public Task RegisterAsync(string name)
    {
        ProgramRef.CheckName(name);
        return StaleStateRetry.WriteAsync(state, () => Add(name), logger, "The program catalog");
    }

    public Task<string[]> ListAsync() => Task.FromResult(state.State.Names.ToArray());

    private StateChange<bool> Add(string name)
    {
        var names = state.State.Names;
        int at = names.BinarySearch(name, StringComparer.Ordinal);
        if (at >= 0) return new(false, null);
        names.Insert(~at, name);
        return new(true, () => names.Remove(name));
    }
}
