using System.Diagnostics;
using System.Net;
using Graphport.Client;
using Graphport.Grains;
using Graphport.Silo;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Graphport.Cluster.Tests.Client;

/// <summary>
/// A localhost silo, as `graphport silo` runs one: clients reach it through its gateway, clients that cannot are told
/// why in time, and it keeps its data folder to itself while it runs.
/// </summary>
public sealed class LocalhostSiloClientTests : IAsyncLifetime
{
    private readonly TempDirectory data = new("graphport-localhost");
    private IHost silo = null!;
    private int gatewayPort;

    public async Task InitializeAsync()
    {
        gatewayPort = Azure.AzuriteFixture.FreePort();
        silo = GraphportSiloHost.Build(new GraphportSiloOptions
        {
            SiloName = "standing",
            DataDirectory = data.Path,
            SiloPort = Azure.AzuriteFixture.FreePort(),
            GatewayPort = gatewayPort,
            LogLevel = LogLevel.Warning,
        }, s => s.Services.AddTestModules());
        await silo.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await silo.StopAsync();
        silo.Dispose();
        data.Dispose();
    }

    [Fact]
    public async Task A_client_given_the_silos_gateway_exports_and_invokes_there()
    {
        await using var client = await GraphportClient.ConnectAsync(GraphportClientOptions.ForCluster($"localhost:{gatewayPort}"));

        var exported = await client.ExportAsync(TestModules.TinyExport("through-gateway"));
        var output = Assert.Single(await client.InvokeAsync(exported.Program, [Torch.Randn(3, 4)]));

        Assert.False(client.IsEmbedded);
        Assert.Equal([3L, 3L], output.Shape.Select(s => (long)s));
        Assert.Contains(await client.ListProgramsAsync(), p => p.Name == "through-gateway");
    }

    [Fact]
    public async Task A_gateway_where_nothing_listens_fails_within_the_connect_timeout_saying_what_was_tried()
    {
        int nobody = Azure.AzuriteFixture.FreePort();
        var watch = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<GraphportException>(() => GraphportClient.ConnectAsync(new GraphportClientOptions
        {
            Gateways = [new IPEndPoint(IPAddress.Loopback, nobody)],
            ConnectTimeout = TimeSpan.FromSeconds(2),
        }));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
        Assert.Equal(GraphportErrorKind.Unavailable, e.Kind);
        // What was tried, then Orleans' own reason (ConnectionRefused as a rule; once, under a full test run's load, it
        // said something else), then how long it kept trying.
        string tried = $"Could not connect to cluster 'graphport' through gateway 127.0.0.1:{nobody}: ";
        Assert.True(e.Message.StartsWith(tried, StringComparison.Ordinal), e.Message);
        Assert.Matches(@"\(\d+ attempts in [0-2]\.\d s\)", e.Message);
    }

    [Fact]
    public async Task A_client_of_another_cluster_id_is_told_the_gateway_turned_it_away()
    {
        var options = GraphportClientOptions.ForCluster($"127.0.0.1:{gatewayPort}");
        options.ClusterId = "someone-else";
        // Long enough for an attempt to reach the gateway and be dropped while the test run loads both cores (with 2 s
        // it once ran out first, and the message had nothing to say about the gateway).
        options.ConnectTimeout = TimeSpan.FromSeconds(6);

        var e = await Assert.ThrowsAsync<GraphportException>(() => GraphportClient.ConnectAsync(options));

        Assert.Equal(GraphportErrorKind.Unavailable, e.Kind);
        Assert.Contains("Could not connect to cluster 'someone-else'", e.Message);
        Assert.Contains("the gateway closed each connection, as a silo of another cluster id or service id does", e.Message);
    }

    [Fact]
    public async Task No_other_silo_starts_on_the_folder_a_standing_silo_serves_and_the_refusal_names_its_gateway()
    {
        var embedded = await Assert.ThrowsAsync<DataFolderInUseException>(() => GraphportClient.StartEmbeddedAsync(new EmbeddedClusterOptions { DataDirectory = data.Path }));
        var standing = Assert.Throws<DataFolderInUseException>(() => GraphportSiloHost.Build(new GraphportSiloOptions { DataDirectory = data.Path, SiloPort = 1, GatewayPort = 2 }));

        Assert.Equal($"127.0.0.1:{gatewayPort}", embedded.Owner?.Gateway);
        Assert.Equal("standing", embedded.Owner?.Silo);
        Assert.Contains($"The data folder {data.Path} is served by silo 'standing' (process {Environment.ProcessId}, cluster 'graphport', gateway 127.0.0.1:{gatewayPort}, since ", embedded.Message);
        Assert.Contains($"Connect to that silo through its gateway 127.0.0.1:{gatewayPort} instead, or stop it first.", embedded.Message);
        Assert.StartsWith($"The data folder {data.Path} is already served by silo 'standing'", standing.Message);
    }
}
