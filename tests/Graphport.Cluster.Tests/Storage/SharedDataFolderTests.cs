using Graphport.Client;
using Graphport.Grains;

namespace Graphport.Cluster.Tests.Storage;

/// <summary>
/// Two graphport commands at once on one data folder run two embedded silos: two clusters, each with its own
/// activation of a program. Neither loses what the other stored, and neither fails because the other wrote first.
/// </summary>
public sealed class SharedDataFolderTests : IDisposable
{
    private readonly TempDirectory home = new("graphport-shared-home");

    public void Dispose() => home.Dispose();

    private Task<GraphportClient> StartAsync() => GraphportClient.StartEmbeddedAsync(new EmbeddedClusterOptions
    {
        DataDirectory = home.Path,
        ConfigureSilo = silo => silo.Services.AddTestModules(),
    });

    [Fact]
    public async Task A_version_added_after_another_cluster_added_one_follows_it_and_both_clusters_see_all_versions()
    {
        await using var first = await StartAsync();
        await using var second = await StartAsync();
        await first.ExportAsync(TestModules.TinyExport("shared"));
        // The second cluster's activation now holds version 1 only.
        Assert.Single((await second.GetProgramAsync("shared")).Versions);
        await first.ExportAsync(TestModules.TinyExport("shared"));

        var third = await second.ExportAsync(TestModules.TinyExport("shared"));

        Assert.Equal(new ProgramRef("shared", 3), third.Program);
        Assert.Equal([1, 2, 3], (await second.GetProgramAsync("shared")).Versions.Select(v => v.Version));
        // The first cluster's activation holds versions 1 and 2; asked for 3, it reads what the other stored.
        Assert.Equal(new ProgramRef("shared", 3), await first.ResolveAsync(ProgramRef.Parse("shared@3")));
        await using var later = await StartAsync();
        var stored = await later.GetProgramAsync("shared");
        Assert.Equal([1, 2, 3], stored.Versions.Select(v => v.Version));
    }

    [Fact]
    public async Task Programs_stored_by_either_cluster_are_all_in_the_catalog()
    {
        await using var first = await StartAsync();
        await using var second = await StartAsync();
        // Both catalogs are active and empty.
        Assert.Empty(await first.ListProgramsAsync());
        Assert.Empty(await second.ListProgramsAsync());

        await first.ExportAsync(TestModules.TinyExport("from-first"));
        await second.ExportAsync(TestModules.TinyExport("from-second"));

        await using var later = await StartAsync();
        Assert.Equal(["from-first", "from-second"], (await later.ListProgramsAsync()).Select(p => p.Name));
    }

    [Fact]
    public async Task The_same_decomposition_made_by_both_clusters_is_stored_once()
    {
        await using var first = await StartAsync();
        await using var second = await StartAsync();
        var exported = await first.ExportAsync(TestModules.TinyExport("decomposed-twice"));
        Assert.Single((await second.GetProgramAsync("decomposed-twice")).Versions);
        var byFirst = await first.DecomposeAsync(exported.Program);

        var bySecond = await second.DecomposeAsync(exported.Program);

        Assert.Equal(byFirst.Program, bySecond.Program);
        await using var later = await StartAsync();
        Assert.Equal([ProgramVersionKind.Exported, ProgramVersionKind.Decomposed], (await later.GetProgramAsync("decomposed-twice")).Versions.Select(v => v.Kind));
    }
}
