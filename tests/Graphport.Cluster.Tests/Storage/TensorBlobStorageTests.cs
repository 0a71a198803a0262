using Graphport.Client;
using Graphport.Grains;
using Microsoft.Extensions.DependencyInjection;

namespace Graphport.Cluster.Tests.Storage;

/// <summary>
/// Program versions keep each weight tensor as a content-addressed blob of its own, so versions and programs that
/// hold the same tensors store them once; versions stored as one whole archive (pt2/1) still load.
/// </summary>
public sealed class TensorBlobStorageTests : IDisposable
{
    private readonly TempDirectory home = new("graphport-tensor-blobs");

    public void Dispose() => home.Dispose();

    private string BlobFolder => Path.Combine(home.Path, "blobs");

    private EmbeddedClusterOptions Options(Action<Orleans.Hosting.ISiloBuilder>? configure = null) => new()
    {
        DataDirectory = home.Path,
        ConfigureSilo = configure,
    };

    private Dictionary<string, long> BlobFiles() =>
        Directory.Exists(BlobFolder)
            ? Directory.EnumerateFiles(BlobFolder, "*", SearchOption.AllDirectories).ToDictionary(f => f, f => new FileInfo(f).Length)
            : [];

    private string BlobPath(string id) => Path.Combine(BlobFolder, "sha256", ContentId.Digest(id)[..2], ContentId.Digest(id));

    private static async Task<ProgramPayload> PayloadAsync(GraphportClient client, ProgramRef program) =>
        (await client.Cluster.GetGrain<IProgramGrain>(program.Name).GetVersionAsync(program.Version)).Payload;

    private static void AssertSameNumbers(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.Shape.Select(s => (long)s), actual.Shape.Select(s => (long)s));
        Assert.True(EagerReference.MaxDifference(expected, actual) < 1e-5, $"max difference {EagerReference.MaxDifference(expected, actual)}");
    }

    [Fact]
    public async Task Decomposing_an_exported_mlp_stores_no_weight_bytes_again_and_both_versions_round_trip_through_pt2_files()
    {
        await using var client = await GraphportClient.StartEmbeddedAsync(Options());
        var exported = (await client.ExportAsync("zoo:mlp", "shared-mlp")).Program;
        var afterExport = BlobFiles();
        var decomposed = (await client.DecomposeAsync(exported)).Program;
        var afterDecompose = BlobFiles();

        var exportedPayload = await PayloadAsync(client, exported);
        var decomposedPayload = await PayloadAsync(client, decomposed);
        Assert.Equal(Pt2TensorBlobCodec.FormatName, exportedPayload.Format);
        Assert.Equal(Pt2TensorBlobCodec.FormatName, decomposedPayload.Format);
        // fc1..fc3 weights and biases; the mlp's weights are about 956 KB.
        long weightBytes = exportedPayload.Weights.Sum(w => w.Bytes);
        Assert.True(weightBytes > 900_000, $"the exported version's weight blobs hold {weightBytes} bytes");
        Assert.Subset(exportedPayload.Weights.Select(w => w.BlobId).ToHashSet(), decomposedPayload.Weights.Select(w => w.BlobId).ToHashSet());
        Assert.True(new FileInfo(BlobPath(exportedPayload.GraphBlobId)).Length < 64 * 1024, "the graph document holds no tensor bytes");
        long added = afterDecompose.Where(kv => !afterExport.ContainsKey(kv.Key)).Sum(kv => kv.Value);
        Assert.True(added < 64 * 1024, $"decomposing added {added} bytes of blobs; only its graph document and printed graph should be new");
        Assert.Equal(weightBytes, exportedPayload.Weights.Sum(w => new FileInfo(BlobPath(w.BlobId)).Length));

        var random = new Random(11);
        foreach (var version in new[] { exported, decomposed })
        {
            string file = Path.Combine(home.Path, "out", $"{version.Name}-{version.Version}.pt2");
            await client.DownloadAsync(version, file);
            var loaded = ExportedProgram.Load(file);
            // The archive is put back exactly as the engine writes it.
            using (var again = new MemoryStream())
            {
                loaded.Save(again);
                Assert.Equal(File.ReadAllBytes(file), again.ToArray());
            }
            for (int trial = 0; trial < 3; trial++)
            {
                var input = Torch.Randn(random.Next(1, 9), 784);
                var served = Assert.Single(await client.InvokeAsync(version, [input]));
                var other = Assert.Single(await client.InvokeAsync(version == exported ? decomposed : exported, [input]));
                AssertSameNumbers(served, (Tensor)loaded.Module().Call(input));
                AssertSameNumbers(served, other);
            }
        }
    }

    [Fact]
    public async Task Two_programs_exported_from_the_same_weights_share_their_tensor_blobs()
    {
        await using var client = await GraphportClient.StartEmbeddedAsync(Options());
        var first = (await client.ExportAsync("zoo:mlp", "first-mlp")).Program;
        var archive = await client.DownloadAsync(first);
        var before = BlobFiles();

        var second = (await client.UploadArchiveAsync("second-mlp", archive.Bytes)).Program;

        long added = BlobFiles().Where(kv => !before.ContainsKey(kv.Key)).Sum(kv => kv.Value);
        Assert.True(added < 64 * 1024, $"uploading the same weights under another name added {added} bytes of blobs");
        Assert.Equal((await PayloadAsync(client, first)).Weights.Select(w => w.BlobId), (await PayloadAsync(client, second)).Weights.Select(w => w.BlobId));
    }

    [Fact]
    public async Task A_version_stored_as_one_archive_blob_still_loads_downloads_and_decomposes()
    {
        var input = Torch.Randn(4, 784);
        ProgramRef exported;
        Tensor before;
        // Registered last, the pt2/1 codec writes, as silos did before tensor blobs.
        await using (var old = await GraphportClient.StartEmbeddedAsync(Options(silo => silo.Services.AddSingleton<IProgramCodec, Pt2ProgramCodec>())))
        {
            exported = (await old.ExportAsync("zoo:mlp", "old-mlp")).Program;
            Assert.Equal(Pt2ProgramCodec.FormatName, (await PayloadAsync(old, exported)).Format);
            Assert.Empty((await PayloadAsync(old, exported)).Weights);
            before = Assert.Single(await old.InvokeAsync(exported, [input]));
        }

        await using var client = await GraphportClient.StartEmbeddedAsync(Options());
        AssertSameNumbers(before, Assert.Single(await client.InvokeAsync(exported, [input])));
        var archive = await client.DownloadAsync(exported);
        using var stream = new MemoryStream(archive.Bytes);
        AssertSameNumbers(before, (Tensor)ExportedProgram.Load(stream).Module().Call(input));
        var decomposed = (await client.DecomposeAsync(exported)).Program;
        Assert.Equal(Pt2TensorBlobCodec.FormatName, (await PayloadAsync(client, decomposed)).Format);
        AssertSameNumbers(before, Assert.Single(await client.InvokeAsync(decomposed, [input])));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_damaged_or_missing_tensor_blob_fails_the_load_naming_program_version_and_tensor(bool damage)
    {
        NamedBlob weight;
        await using (var client = await GraphportClient.StartEmbeddedAsync(Options()))
        {
            var exported = (await client.ExportAsync("zoo:mlp", "broken-mlp")).Program;
            weight = (await PayloadAsync(client, exported)).Weights.OrderByDescending(w => w.Bytes).First();
        }
        string path = BlobPath(weight.BlobId);
        if (damage)
        {
            byte[] bytes = File.ReadAllBytes(path);
            bytes[bytes.Length / 2] ^= 0x40;
            File.WriteAllBytes(path, bytes);
        }
        else
        {
            File.Delete(path);
        }

        // A fresh cluster, so nothing decoded before the damage is cached.
        await using var restarted = await GraphportClient.StartEmbeddedAsync(Options());
        var invoke = await Assert.ThrowsAsync<GraphportException>(() => restarted.InvokeAsync(new ProgramRef("broken-mlp", 1), [Torch.Randn(2, 784)]));
        var download = await Assert.ThrowsAsync<GraphportException>(() => restarted.DownloadAsync(new ProgramRef("broken-mlp", 1)));

        foreach (var error in new[] { invoke, download })
        {
            Assert.Equal(GraphportErrorKind.StorageFailed, error.Kind);
            Assert.Contains("Program 'broken-mlp' version 1 cannot be loaded", error.Message);
            Assert.Contains("fc1.weight", error.Message);
            Assert.Contains(weight.BlobId, error.Message);
        }
    }
}
