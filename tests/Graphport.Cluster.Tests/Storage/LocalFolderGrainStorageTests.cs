using Graphport.Grains;
using Graphport.Silo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Storage;

namespace Graphport.Cluster.Tests.Storage;

public sealed class LocalFolderGrainStorageTests : IDisposable
{
    private readonly TempDirectory folder = new("graphport-state");
    private readonly ServiceProvider services = new ServiceCollection().AddSerializer(b => b.AddAssembly(typeof(ProgramState).Assembly)).BuildServiceProvider();
    private static readonly GrainId Grain = GrainId.Create("program", "resnet18");

    private LocalFolderGrainStorage NewStorage() => new("graphport", new LocalFolderGrainStorageOptions { RootDirectory = folder.Path },
        new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>()), NullLogger<LocalFolderGrainStorage>.Instance);

    private static CatalogState Catalog(params string[] names) => new() { Names = [.. names] };

    public void Dispose()
    {
        services.Dispose();
        folder.Dispose();
    }

    [Fact]
    public async Task State_written_by_one_storage_is_read_by_another_on_the_same_folder()
    {
        var written = new GrainState<CatalogState>(Catalog("mlp", "resnet18"));
        await NewStorage().WriteStateAsync("catalog", Grain, written);

        var read = new GrainState<CatalogState>(new CatalogState());
        await NewStorage().ReadStateAsync("catalog", Grain, read);

        Assert.True(read.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
        Assert.Equal(["mlp", "resnet18"], read.State!.Names);
    }

    [Fact]
    public async Task Missing_state_reads_as_no_record()
    {
        var read = new GrainState<CatalogState>(new CatalogState());

        await NewStorage().ReadStateAsync("catalog", Grain, read);

        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
        Assert.Empty(read.State!.Names);
    }

    [Fact]
    public async Task A_writer_with_a_stale_etag_is_refused_and_the_newer_state_kept()
    {
        var storage = NewStorage();
        var first = new GrainState<CatalogState>(Catalog("a"));
        await storage.WriteStateAsync("catalog", Grain, first);
        var stale = new GrainState<CatalogState>(Catalog("stale")) { ETag = first.ETag };
        first.State = Catalog("a", "b");
        await storage.WriteStateAsync("catalog", Grain, first);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("catalog", Grain, stale));

        var read = new GrainState<CatalogState>(new CatalogState());
        await storage.ReadStateAsync("catalog", Grain, read);
        Assert.Equal(["a", "b"], read.State!.Names);
    }

    [Fact]
    public async Task A_damaged_state_file_fails_the_read_with_its_path_and_is_left_untouched()
    {
        var storage = NewStorage();
        await storage.WriteStateAsync("catalog", Grain, new GrainState<CatalogState>(Catalog("a")));
        string file = Directory.GetFiles(folder.Path, "*.json", SearchOption.AllDirectories).Single();
        await File.WriteAllTextAsync(file, "{ not json");

        var e = await Assert.ThrowsAsync<GraphportException>(() => storage.ReadStateAsync("catalog", Grain, new GrainState<CatalogState>(new CatalogState())));

        Assert.Equal(GraphportErrorKind.StorageFailed, e.Kind);
        Assert.Contains(file, e.Message);
        Assert.Equal("{ not json", await File.ReadAllTextAsync(file));
    }

    [Fact]
    public async Task Clearing_removes_the_state()
    {
        var storage = NewStorage();
        var state = new GrainState<CatalogState>(Catalog("a"));
        await storage.WriteStateAsync("catalog", Grain, state);

        await storage.ClearStateAsync("catalog", Grain, state);

        var read = new GrainState<CatalogState>(new CatalogState());
        await storage.ReadStateAsync("catalog", Grain, read);
        Assert.False(read.RecordExists);
        Assert.Null(state.ETag);
    }

    [Fact]
    public async Task Writes_leave_no_temporary_files_behind()
    {
        var storage = NewStorage();
        var state = new GrainState<CatalogState>(Catalog("a"));
        for (int i = 0; i < 5; i++)
        {
            state.State = Catalog("a", $"n{i}");
            await storage.WriteStateAsync("catalog", Grain, state);
        }

        Assert.Empty(Directory.GetFiles(folder.Path, "*.partial", SearchOption.AllDirectories));
    }
}
