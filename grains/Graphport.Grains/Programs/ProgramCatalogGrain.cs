namespace Graphport.Grains;

/// <summary>The list of program names, kept sorted and persisted; registering a known name writes nothing.</summary>
public sealed class ProgramCatalogGrain(
    [PersistentState("catalog", GraphportStorage.ProviderName)] IPersistentState<CatalogState> state) : Grain, IProgramCatalogGrain
{
    public async Task RegisterAsync(string name)
    {
        ProgramRef.CheckName(name);
        var names = state.State.Names;
        int at = names.BinarySearch(name, StringComparer.Ordinal);
        if (at >= 0) return;
        names.Insert(~at, name);
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            names.Remove(name);
            throw;
        }
    }

    public Task<string[]> ListAsync() => Task.FromResult(state.State.Names.ToArray());
}
