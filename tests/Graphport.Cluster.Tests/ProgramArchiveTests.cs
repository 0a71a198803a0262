using Graphport.Client;
using Graphport.Grains;
using Microsoft.Extensions.DependencyInjection;

namespace Graphport.Cluster.Tests;

/// <summary>Programs leave the cluster as .pt2 archives the engine loads, and come back in as uploads of those files.</summary>
public sealed class ProgramArchiveTests : IAsyncLifetime
{
    private readonly TempDirectory home = new("graphport-archive");
    private GraphportClient client = null!;

    public async Task InitializeAsync() => client = await GraphportClient.StartEmbeddedAsync(new EmbeddedClusterOptions { DataDirectory = home.Path });

    public async Task DisposeAsync()
    {
        await client.DisposeAsync();
        home.Dispose();
    }

    private static void AssertSameNumbers(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.Shape.Select(s => (long)s), actual.Shape.Select(s => (long)s));
        Assert.True(EagerReference.MaxDifference(expected, actual) < 1e-5, $"max difference {EagerReference.MaxDifference(expected, actual)}");
    }

    [Fact]
    public async Task A_version_saved_to_a_pt2_file_loads_in_the_engine_and_computes_what_the_cluster_computes()
    {
        var exported = await client.ExportAsync("zoo:mlp", "saved-mlp");
        var decomposed = await client.DecomposeAsync(exported.Program);
        string exportedFile = Path.Combine(home.Path, "out", "mlp-v1.pt2");
        string latestFile = Path.Combine(home.Path, "out", "mlp-latest.pt2");

        var savedExported = await client.DownloadAsync(exported.Program, exportedFile);
        var savedLatest = await client.DownloadAsync(ProgramRef.Parse("saved-mlp"), latestFile);

        Assert.Equal(new ProgramRef("saved-mlp", 1), savedExported);
        Assert.Equal(decomposed.Program, savedLatest);
        var random = new Random(5);
        foreach (var (file, version) in new[] { (exportedFile, savedExported), (latestFile, savedLatest) })
        {
            var loaded = ExportedProgram.Load(file);
            for (int trial = 0; trial < 3; trial++)
            {
                var input = Torch.Randn(random.Next(2, 9), 784);
                var served = Assert.Single(await client.InvokeAsync(version, [input]));
                AssertSameNumbers(served, (Tensor)loaded.Module().Call(input));
            }
        }
        Assert.Empty(Directory.GetFiles(Path.Combine(home.Path, "out"), "*partial*"));
    }

    [Fact]
    public async Task A_downloaded_archive_uploaded_under_another_name_is_served_with_the_same_numbers_and_names_its_file()
    {
        var exported = await client.ExportAsync("zoo:mlp", "source-mlp");
        string file = Path.Combine(home.Path, "source-mlp.pt2");
        await client.DownloadAsync(exported.Program, file);

        var uploaded = await client.UploadFileAsync("copied-mlp", file);

        Assert.Equal(new ProgramRef("copied-mlp", 1), uploaded.Program);
        Assert.Equal(ProgramVersionKind.Uploaded, uploaded.Info.Kind);
        Assert.Equal("pt2:source-mlp.pt2", uploaded.Info.Origin);
        var input = Torch.Randn(4, 784);
        AssertSameNumbers(Assert.Single(await client.InvokeAsync(exported.Program, [input])), Assert.Single(await client.InvokeAsync(uploaded.Program, [input])));
    }

    [Fact]
    public async Task A_version_stored_as_a_recipe_before_the_pt2_codec_downloads_as_an_archive_with_the_same_numbers()
    {
        using var recipeHome = new TempDirectory("graphport-recipe");
        await using var recipes = await GraphportClient.StartEmbeddedAsync(new EmbeddedClusterOptions
        {
            DataDirectory = recipeHome.Path,
            // Registered last, the recipe codec writes, as silos did before the .pt2 codec.
            ConfigureSilo = silo => silo.Services.AddSingleton<IProgramCodec, RecipeProgramCodec>(),
        });
        var exported = await recipes.ExportAsync("zoo:mlp", "recipe-mlp");
        Assert.Equal(RecipeProgramCodec.FormatName, (await recipes.Cluster.GetGrain<IProgramGrain>("recipe-mlp").GetVersionAsync(1)).Payload.Format);

        var archive = await recipes.DownloadAsync(exported.Program);

        Assert.Equal(exported.Program, archive.Program);
        using var stream = new MemoryStream(archive.Bytes);
        var loaded = ExportedProgram.Load(stream);
        var input = Torch.Randn(3, 784);
        AssertSameNumbers(Assert.Single(await recipes.InvokeAsync(exported.Program, [input])), (Tensor)loaded.Module().Call(input));
    }

    [Fact]
    public async Task Downloading_an_unknown_program_or_version_is_not_found_and_writes_no_file()
    {
        await client.ExportAsync("zoo:mlp", "known-mlp");
        string file = Path.Combine(home.Path, "never.pt2");

        var program = await Assert.ThrowsAsync<GraphportException>(() => client.DownloadAsync(ProgramRef.Parse("no-such-program"), file));
        var version = await Assert.ThrowsAsync<GraphportException>(() => client.DownloadAsync(ProgramRef.Parse("known-mlp@7"), file));

        Assert.Equal(GraphportErrorKind.NotFound, program.Kind);
        Assert.StartsWith("No program named 'no-such-program'.", program.Message);
        Assert.Equal(GraphportErrorKind.NotFound, version.Kind);
        Assert.Equal("Program 'known-mlp' has versions 1 to 1; there is no version 7.", version.Message);
        Assert.False(File.Exists(file));
    }

    [Fact]
    public async Task Uploading_a_file_that_is_not_a_pt2_archive_is_refused_and_stores_nothing()
    {
        string file = Path.Combine(home.Path, "notes.pt2");
        await File.WriteAllTextAsync(file, "these are notes, not a program");

        var e = await Assert.ThrowsAsync<GraphportException>(() => client.UploadFileAsync("not-an-archive", file));

        Assert.Equal(GraphportErrorKind.InvalidRequest, e.Kind);
        Assert.Contains("is not a readable .pt2 archive", e.Message);
        Assert.DoesNotContain(await client.ListProgramsAsync(), p => p.Name == "not-an-archive");
    }
}
