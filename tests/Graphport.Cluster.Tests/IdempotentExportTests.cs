using Graphport.Grains;

namespace Graphport.Cluster.Tests;

[Collection(SharedClusterCollection.Name)]
public sealed class IdempotentExportTests(SharedClusterFixture fixture)
{
    private IClusterClient Client => fixture.Cluster.Client;

    private Task<ExportResult> ExportAsync(ExportRequest request) => Client.GetGrain<IExportGrain>(Guid.NewGuid()).ExportAsync(request);

    [Fact]
    public async Task An_export_retried_with_its_request_key_returns_the_stored_version_and_stores_no_other()
    {
        var request = TestModules.TinyExport("idempotent") with { RequestKey = "batch-1/tiny" };

        var first = await ExportAsync(request);
        var retried = await ExportAsync(request);
        var other = await ExportAsync(request with { RequestKey = "batch-2/tiny" });

        Assert.Equal(first.Program, retried.Program);
        Assert.Equal(new ProgramRef("idempotent", 2), other.Program);
        var info = await Client.GetGrain<IProgramGrain>("idempotent").GetInfoAsync();
        Assert.Equal([1, 2], info.Versions.Select(v => v.Version));
    }

    [Fact]
    public async Task Without_a_request_key_every_export_is_a_new_version()
    {
        var request = TestModules.TinyExport("not-idempotent");

        await ExportAsync(request);
        var second = await ExportAsync(request);

        Assert.Equal(2, second.Program.Version);
    }

    [Theory]
    [InlineData("")]
    [InlineData("bad\nkey")]
    public async Task A_malformed_request_key_is_refused_before_anything_is_stored(string key)
    {
        var error = await Assert.ThrowsAsync<GraphportException>(() => ExportAsync(TestModules.TinyExport("bad-key") with { RequestKey = key }));

        Assert.Equal(GraphportErrorKind.InvalidRequest, error.Kind);
        Assert.Contains("RequestKey must be 1-200 printable characters", error.Message);
        Assert.False((await Client.GetGrain<IProgramGrain>("bad-key").GetInfoAsync()).Exists);
    }
}
