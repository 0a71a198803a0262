using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace Graphport.Grains;

/// <summary>
/// A named program: the persisted list of its versions. Versions are only ever appended, after their blobs are
/// stored, so a failed export or decomposition leaves the existing versions as they were.
/// </summary>
public sealed class ProgramGrain(
    [PersistentState("program", GraphportStorage.ProviderName)] IPersistentState<ProgramState> state,
    ProgramStore store,
    ILogger<ProgramGrain> logger) : Grain, IProgramGrain
{
    private string Name => this.GetPrimaryKeyString();

    private List<StoredProgramVersion> Versions => state.State.Versions;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Registering is idempotent; doing it on activation heals a catalog write that failed after a version was stored.
        if (Versions.Count > 0) await RegisterInCatalogAsync();
    }

    public Task<ProgramInfo> GetInfoAsync()
    {
        CheckName();
        return Task.FromResult(new ProgramInfo(Name, Versions.Select(v => v.Info).ToArray()));
    }

    public async Task<StoredProgramVersion> GetVersionAsync(int version)
    {
        CheckName();
        // Another graphport command's embedded silo on the same data folder may have stored it since this activation read its state.
        if (version == 0 ? Versions.Count == 0 : Find(version) is null) await state.ReadStateAsync();
        if (Versions.Count == 0)
        {
            var names = await GrainFactory.GetGrain<IProgramCatalogGrain>(GrainKeys.Catalog).ListAsync();
            throw new GraphportException(GraphportErrorKind.NotFound,
                $"No program named '{Name}'. " + (names.Length == 0 ? "No program is stored yet." : $"Programs: {string.Join(", ", names)}."));
        }
        if (version == 0) return Versions[^1];
        return Find(version)
            ?? throw new GraphportException(GraphportErrorKind.NotFound, $"Program '{Name}' has versions 1 to {Versions[^1].Info.Version}; there is no version {version}.");
    }

    private StoredProgramVersion? Find(int version) => Versions.FirstOrDefault(v => v.Info.Version == version);

    public Task<ProgramVersionInfo?> FindRequestAsync(string requestKey) => Task.FromResult(FindRequest(requestKey)?.Info);

    private StoredProgramVersion? FindRequest(string? requestKey) =>
        requestKey is null ? null : Versions.FirstOrDefault(v => v.Provenance.RequestKey == requestKey);

    public async Task<ProgramVersionInfo> AddVersionAsync(ProgramVersionInfo draft, ProgramPayload payload, ProgramProvenance provenance)
    {
        CheckName();
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(provenance);
        // A version must never point at bytes that are not there.
        var ids = new[] { payload.GraphBlobId, payload.GraphTextBlobId }.Concat(payload.Weights.Select(w => w.BlobId)).Distinct().ToList();
        var present = await Task.WhenAll(ids.Select(id => store.Blobs.ExistsAsync(id)));
        if (ids.Zip(present).FirstOrDefault(p => !p.Second).First is { } missing)
            throw new GraphportException(GraphportErrorKind.StorageFailed, $"Cannot add a version of '{Name}': blob {missing} is not in the store.");
        ProgramVersionInfo info;
        try
        {
            info = await StaleStateRetry.WriteAsync(state, () => Append(draft, payload, provenance), logger, $"Program '{Name}'");
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Storing a version of {Program} failed", Name);
            await ReloadAfterFailedWriteAsync();
            throw e is InconsistentStateException
                ? new GraphportException(GraphportErrorKind.Conflict,
                    $"Program '{Name}' was changed by other writers {StaleStateRetry.MaxAttempts} times while a version was being added; nothing was stored. Retry.")
                : new GraphportException(GraphportErrorKind.StorageFailed, $"Storing a version of '{Name}' failed; nothing was stored. {e.GetType().Name}: {e.Message}");
        }
        await RegisterInCatalogAsync();
        return info;
    }

    /// <summary>
    /// Appends the version to the versions in hand, unless they already hold it: an export retried with its request key
    /// (a zoo batch resumed after a silo died), or the same decomposition made by another writer meanwhile.
    /// </summary>
    private StateChange<ProgramVersionInfo> Append(ProgramVersionInfo draft, ProgramPayload payload, ProgramProvenance provenance)
    {
        if (FindRequest(provenance.RequestKey) is { } earlier) return new(earlier.Info, null);
        if (FindDecomposition(draft) is { } decomposed) return new(decomposed.Info, null);
        int number = Versions.Count == 0 ? 1 : Versions[^1].Info.Version + 1;
        var info = draft with { Name = Name, Version = number, CreatedAt = DateTimeOffset.UtcNow };
        var stored = new StoredProgramVersion(info, payload, provenance);
        Versions.Add(stored);
        return new(info, () => Versions.Remove(stored));
    }

    private StoredProgramVersion? FindDecomposition(ProgramVersionInfo draft) =>
        draft.Kind == ProgramVersionKind.Decomposed && draft.DerivedFrom is int source && draft.Table is { } table
            ? Versions.FirstOrDefault(v => v.Info.DerivedFrom == source && v.Info.Table == table)
            : null;

    public Task<int?> FindDerivedAsync(int version, string table)
    {
        CheckName();
        var match = Versions.FirstOrDefault(v => v.Info.DerivedFrom == version && v.Info.Table == table);
        return Task.FromResult(match?.Info.Version);
    }

    public async Task<Pt2Archive> GetArchiveAsync(int version)
    {
        var stored = await GetVersionAsync(version);
        var bytes = await store.LoadArchiveAsync(stored.Info.Ref, stored.Payload);
        if (bytes.LongLength > MessageLimits.MaxArchiveBytes)
            throw new GraphportException(GraphportErrorKind.Unsupported,
                $"The .pt2 archive of {stored.Info.Ref} is {bytes.LongLength / (1024 * 1024)} MiB, more than one cluster message carries ({MessageLimits.MaxArchiveBytes / (1024 * 1024)} MiB); "
                + "programs this large are not downloaded whole.");
        return new Pt2Archive(stored.Info.Ref, bytes);
    }

    public async Task<string> GetGraphTextAsync(int version)
    {
        var stored = await GetVersionAsync(version);
        return await store.LoadGraphTextAsync(stored.Payload);
    }

    private async Task RegisterInCatalogAsync()
    {
        try
        {
            await GrainFactory.GetGrain<IProgramCatalogGrain>(GrainKeys.Catalog).RegisterAsync(Name);
        }
        catch (Exception e)
        {
            // The version is stored; the catalog catches up on this grain's next activation.
            logger.LogWarning(e, "Registering {Program} in the catalog failed", Name);
        }
    }

    private async Task ReloadAfterFailedWriteAsync()
    {
        try
        {
            await state.ReadStateAsync();
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Re-reading the state of {Program} failed; deactivating so the next call reads it afresh", Name);
            DeactivateOnIdle();
        }
    }

    private void CheckName()
    {
        if (!ProgramRef.IsValidName(Name))
            throw new GraphportException(GraphportErrorKind.InvalidRequest, ProgramRef.InvalidNameMessage(Name));
    }
}
