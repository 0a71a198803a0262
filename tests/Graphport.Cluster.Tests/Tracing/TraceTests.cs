using System.Diagnostics;
using Graphport.Grains;

namespace Graphport.Cluster.Tests.Tracing;

/// <summary>One client call is one trace: the client's span, the grain calls, and the engine and backend spans inside.</summary>
[Collection(SharedClusterCollection.Name)]
public sealed class TraceTests(SharedClusterFixture fixture)
{
    private IClusterClient Client => fixture.Cluster.Client;

    private static string Describe(IEnumerable<Activity> spans) => string.Join(", ", spans.Select(s => $"{s.Source.Name}:{s.DisplayName}"));

    [Fact]
    public async Task An_export_is_one_trace_from_the_client_through_the_grains_into_the_engine()
    {
        ActivityTraceId trace;
        using (var root = TestTracing.StartRoot("export-test"))
        {
            trace = root.TraceId;
            await Client.GetGrain<IExportGrain>(Guid.NewGuid()).ExportAsync(TestModules.TinyExport("traced-export"));
        }

        var spans = TestTracing.SpansOf(trace);

        Assert.True(spans.Any(s => s.Source.Name == "Microsoft.Orleans.Application" && s.DisplayName.Contains("IExportGrain", StringComparison.Ordinal) && s.Kind == ActivityKind.Server), Describe(spans));
        Assert.True(spans.Any(s => s.Source.Name == "Microsoft.Orleans.Application" && s.DisplayName.Contains("IProgramGrain", StringComparison.Ordinal)), Describe(spans));
        Assert.True(spans.Any(s => s.Source.Name == GraphportTelemetry.GrainsSourceName && s.DisplayName == "export_program"), Describe(spans));
        Assert.True(spans.Any(s => s.Source.Name == GraphportTelemetry.ExportSourceName && s.DisplayName == "export"), Describe(spans));
    }

    [Fact]
    public async Task An_invoke_is_one_trace_down_to_the_backends_execute_span()
    {
        var exported = await Client.GetGrain<IExportGrain>(Guid.NewGuid()).ExportAsync(TestModules.TinyExport("traced-invoke"));
        ActivityTraceId trace;
        using (var root = TestTracing.StartRoot("invoke-test"))
        {
            trace = root.TraceId;
            await Client.GetGrain<IExecutorGrain>(GrainKeys.Executor(exported.Program)).InvokeAsync([TensorData.FromTensor(Torch.Randn(2, 4))]);
        }

        var spans = TestTracing.SpansOf(trace);

        var server = Assert.Single(spans, s => s.Source.Name == "Microsoft.Orleans.Application" && s.DisplayName.Contains("IExecutorGrain", StringComparison.Ordinal) && s.Kind == ActivityKind.Server);
        var execute = Assert.Single(spans, s => s.Source.Name == GraphportTelemetry.KernelsSourceName && s.DisplayName == "execute");
        Assert.Equal("cpu", execute.GetTagItem("graphport.device"));
        Assert.True(spans.Any(s => s.Source.Name == GraphportTelemetry.GrainsSourceName && s.DisplayName == "invoke"), Describe(spans));
        Assert.Equal(trace, server.TraceId);
    }
}
