using System.Text;
using Graphport.Graphs;
using Microsoft.Extensions.Logging;

namespace Graphport.Grains;

/// <summary>
/// Saves programs as blobs (graph document, printed graph, one blob per weight tensor record, shared by every version holding the same bytes) and loads them back through the
/// codec that wrote them. Decoded programs are kept in a small cache, so the grains of one silo that use a
/// version one after another (export, decompose, execute) decode it once.
/// </summary>
public sealed class ProgramStore
{
    private const int CacheCapacity = 4;

    private readonly IProgramCodec primary;
    private readonly Dictionary<string, IProgramCodec> codecs;
    private readonly IContentStore blobs;
    private readonly ILogger<ProgramStore> logger;
    private readonly LinkedList<(string Key, ExportedProgram Program)> cache = new();

    public ProgramStore(IEnumerable<IProgramCodec> codecs, IContentStore blobs, ILogger<ProgramStore> logger)
    {
        var all = codecs.ToList();
        if (all.Count == 0) throw new InvalidOperationException("No program codec is registered; call AddGraphportGrains.");
        // The last registration wins, as with any service: registering a new codec after the default makes it the writer.
        primary = all[^1];
        this.codecs = all.GroupBy(c => c.Format).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
        this.blobs = blobs;
        this.logger = logger;
    }

    public IContentStore Blobs => blobs;

    /// <summary>Encodes and stores the program's blobs; the version is not recorded until the ProgramGrain adds it.</summary>
    public async Task<ProgramPayload> SaveAsync(ExportedProgram program, ProgramProvenance provenance, CancellationToken cancellationToken = default)
    {
        var encoded = await Task.Run(() => primary.Encode(program, provenance), cancellationToken);
        string graph = await blobs.PutAsync(encoded.Graph, cancellationToken);
        string text = await blobs.PutAsync(Encoding.UTF8.GetBytes(GraphPrinter.Readable(program.Graph)), cancellationToken);
        var weights = new List<NamedBlob>();
        foreach (var (name, bytes) in encoded.Weights)
            weights.Add(new NamedBlob(name, await blobs.PutAsync(bytes, cancellationToken), bytes.LongLength));
        return new ProgramPayload(encoded.Format, graph, text, [.. weights]);
    }

    /// <summary>Reads and decodes a stored version (or takes it from the cache).</summary>
    public async Task<ExportedProgram> LoadAsync(ProgramRef reference, ProgramPayload payload, CancellationToken cancellationToken = default)
    {
        string key = CacheKey(reference, payload);
        if (TryCached(key) is { } cached) return cached;
        if (!codecs.TryGetValue(payload.Format, out var codec))
            throw new GraphportException(GraphportErrorKind.StorageFailed,
                $"{reference} is stored as '{payload.Format}', which no codec of this silo reads (it reads {string.Join(", ", codecs.Keys)}).");
        var encoded = await ReadEncodedAsync(reference, payload, codec, cancellationToken);
        logger.LogInformation("Decoding {Program} ({Format}, {Weights} weights)", reference, payload.Format, encoded.Weights.Count);
        var program = await Task.Run(() => codec.Decode(encoded), cancellationToken);
        Remember(reference, payload, program);
        return program;
    }

    /// <summary>
    /// A stored version as a .pt2 archive: for versions stored as pt2/1 the stored archive itself, for pt2/2 the
    /// archive put back together from its tensor blobs (neither decodes the program), for older formats the decoded program saved as one.
    /// </summary>
    public async Task<byte[]> LoadArchiveAsync(ProgramRef reference, ProgramPayload payload, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(payload);
        if (payload.Format == Pt2ProgramCodec.FormatName) return await blobs.GetAsync(payload.GraphBlobId, cancellationToken);
        if (payload.Format == Pt2TensorBlobCodec.FormatName && codecs.TryGetValue(payload.Format, out var tensorBlobs))
        {
            var encoded = await ReadEncodedAsync(reference, payload, tensorBlobs, cancellationToken);
            return await Task.Run(() => Pt2TensorBlobCodec.JoinArchive(encoded), cancellationToken);
        }
        var program = await LoadAsync(reference, payload, cancellationToken);
        return await Task.Run(() => Pt2ProgramCodec.Archive(program), cancellationToken);
    }

    /// <summary>Caches a program its maker already has in hand, so the next grain on this silo skips decoding it.</summary>
    public void Remember(ProgramRef reference, ProgramPayload payload, ExportedProgram program)
    {
        string key = CacheKey(reference, payload);
        lock (cache)
        {
            RemoveKey(key);
            cache.AddFirst((key, program));
            while (cache.Count > CacheCapacity) cache.RemoveLast();
        }
    }

    /// <summary>
    /// Reads a version's graph document and weight blobs. A weight blob that is missing or whose bytes no longer
    /// hash to its id fails the load naming the program, version and tensor: a program never runs on wrong numbers.
    /// </summary>
    private async Task<EncodedProgram> ReadEncodedAsync(ProgramRef reference, ProgramPayload payload, IProgramCodec codec, CancellationToken cancellationToken)
    {
        var graph = await blobs.GetAsync(payload.GraphBlobId, cancellationToken);
        var weights = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var blob in payload.Weights)
        {
            byte[] bytes;
            try
            {
                bytes = await blobs.GetAsync(blob.BlobId, cancellationToken);
            }
            catch (GraphportException e) when (e.Kind is GraphportErrorKind.NotFound or GraphportErrorKind.StorageFailed)
            {
                throw WeightUnreadable(reference, codec, graph, blob, e.Message);
            }
            // Checked here too, so a store that hands back other bytes under an id cannot slip wrong weights through.
            if (ContentId.Of(bytes) != blob.BlobId)
                throw WeightUnreadable(reference, codec, graph, blob, $"its bytes no longer hash to {blob.BlobId}");
            weights[blob.Name] = bytes;
        }
        return new EncodedProgram(payload.Format, graph, weights);
    }

    private static GraphportException WeightUnreadable(ProgramRef reference, IProgramCodec codec, byte[] graph, NamedBlob blob, string reason) =>
        new(GraphportErrorKind.StorageFailed,
            $"Program '{reference.Name}' version {reference.Version} cannot be loaded: the blob {blob.BlobId} of tensor {codec.DescribeWeight(graph, blob.Name)} is missing or damaged ({reason}). Store the version again (export or upload it) to replace it.");

    public async Task<string> LoadGraphTextAsync(ProgramPayload payload, CancellationToken cancellationToken = default) =>
        Encoding.UTF8.GetString(await blobs.GetAsync(payload.GraphTextBlobId, cancellationToken));

    private ExportedProgram? TryCached(string key)
    {
        lock (cache)
        {
            for (var node = cache.First; node is not null; node = node.Next)
            {
                if (node.Value.Key != key) continue;
                cache.Remove(node);
                cache.AddFirst(node);
                return node.Value.Program;
            }
            return null;
        }
    }

    private void RemoveKey(string key)
    {
        for (var node = cache.First; node is not null; node = node.Next)
        {
            if (node.Value.Key != key) continue;
            cache.Remove(node);
            return;
        }
    }

    // The content ids are part of the key: a name reused after its state was cleared must not hit an old entry.
    private static string CacheKey(ProgramRef reference, ProgramPayload payload) =>
        $"{reference}|{payload.GraphBlobId}|{ContentId.Of(Encoding.UTF8.GetBytes(string.Join(';', payload.Weights.Select(w => w.BlobId))))}";
}
