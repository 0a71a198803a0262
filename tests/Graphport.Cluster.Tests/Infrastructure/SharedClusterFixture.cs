using Orleans.TestingHost;

namespace Graphport.Cluster.Tests;

/// <summary>One single-silo cluster shared by the end-to-end grain tests (each test uses its own program names).</summary>
public sealed class SharedClusterFixture : IAsyncLifetime
{
    private readonly TempDirectory data = new("graphport-shared");

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public string DataDirectory => data.Path;

    public async Task InitializeAsync() => Cluster = await TestClusters.StartAsync(data.Path);

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        data.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class SharedClusterCollection : ICollectionFixture<SharedClusterFixture>
{
    public const string Name = "shared cluster";
}
