using Graphport.Client;
using Graphport.Grains;

namespace Graphport.Cluster.Tests.Storage;

/// <summary>The embedded cluster keeps its programs in its data directory: a new process on it serves them again.</summary>
public sealed class EmbeddedRestartTests : IDisposable
{
    private readonly TempDirectory home = new("graphport-home");

    public void Dispose() => home.Dispose();

    private EmbeddedClusterOptions Options() => new()
    {
        DataDirectory = home.Path,
        ConfigureSilo = silo => silo.Services.AddTestModules(),
    };

    [Fact]
    public async Task Programs_survive_a_restart_of_the_embedded_cluster_and_give_the_same_results()
    {
        var input = Torch.Randn(3, 784);
        ProgramRef decomposed;
        Tensor before;
        await using (var first = await GraphportClient.StartEmbeddedAsync(Options()))
        {
            var exported = await first.ExportAsync("zoo:mlp", "restart-mlp");
            decomposed = (await first.DecomposeAsync(exported.Program)).Program;
            before = (await first.InvokeAsync(decomposed, [input]))[0];
        }

        await using var second = await GraphportClient.StartEmbeddedAsync(Options());
        var programs = await second.ListProgramsAsync();
        var after = (await second.InvokeAsync(decomposed, [input]))[0];

        var program = Assert.Single(programs, p => p.Name == "restart-mlp");
        Assert.Equal([ProgramVersionKind.Exported, ProgramVersionKind.Decomposed], program.Versions.Select(v => v.Kind));
        Assert.Equal(before.ToArray<float>(), after.ToArray<float>());
    }

    [Fact]
    public async Task The_latest_version_is_found_by_name_after_a_restart()
    {
        await using (var first = await GraphportClient.StartEmbeddedAsync(Options()))
        {
            await first.ExportAsync(TestModules.TinyExport("restart-tiny"));
            await first.ExportAsync(TestModules.TinyExport("restart-tiny"));
        }

        await using var second = await GraphportClient.StartEmbeddedAsync(Options());

        Assert.Equal(new ProgramRef("restart-tiny", 2), await second.ResolveAsync(ProgramRef.Parse("restart-tiny")));
    }
}
