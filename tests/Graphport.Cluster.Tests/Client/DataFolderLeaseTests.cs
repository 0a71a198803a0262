using Graphport.Silo;

namespace Graphport.Cluster.Tests.Client;

/// <summary>Who may run a silo on a data folder: any number of commands' embedded silos, or one standing silo alone.</summary>
public sealed class DataFolderLeaseTests : IDisposable
{
    private readonly TempDirectory data = new("graphport-lease");

    public void Dispose() => data.Dispose();

    private static DataFolderOwner Standing(string name) => new(name, Environment.ProcessId, "graphport", "127.0.0.1:30000", DateTimeOffset.UtcNow);

    [Fact]
    public void Embedded_silos_share_a_folder_and_keep_a_standing_silo_off_it_until_the_last_one_ends()
    {
        var first = DataFolderLease.AcquireShared(data.Path);
        var second = DataFolderLease.AcquireShared(data.Path);

        var refused = Assert.Throws<DataFolderInUseException>(() => DataFolderLease.AcquireExclusive(data.Path, Standing("late")));
        Assert.Null(refused.Owner);
        Assert.Contains("is in use by a graphport command running its own embedded silo", refused.Message);
        first.Dispose();
        Assert.Throws<DataFolderInUseException>(() => DataFolderLease.AcquireExclusive(data.Path, Standing("late")));
        second.Dispose();
        using var standing = DataFolderLease.AcquireExclusive(data.Path, Standing("late"));
    }

    [Fact]
    public void A_standing_silo_describes_itself_while_it_runs_and_leaves_the_folder_free_when_it_ends()
    {
        var standing = DataFolderLease.AcquireExclusive(data.Path, Standing("first"));
        string description = Path.Combine(data.Path, DataFolderLease.OwnerFileName);

        Assert.True(File.Exists(description));
        var second = Assert.Throws<DataFolderInUseException>(() => DataFolderLease.AcquireExclusive(data.Path, Standing("second")));
        Assert.Equal("first", second.Owner?.Silo);
        standing.Dispose();

        Assert.False(File.Exists(description));
        using var embedded = DataFolderLease.AcquireShared(data.Path);
    }

    [Fact]
    public void Only_localhost_silos_on_local_folders_take_a_lease()
    {
        var azureClustered = new GraphportSiloOptions { DataDirectory = data.Path, Clustering = ClusteringMode.AzureTable, AzureConnectionString = "UseDevelopmentStorage=true" };

        Assert.Null(DataFolderLease.For(azureClustered));
        using var standing = DataFolderLease.For(new GraphportSiloOptions { DataDirectory = data.Path });
        Assert.NotNull(standing);
    }
}
