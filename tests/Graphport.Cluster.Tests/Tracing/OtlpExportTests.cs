using System.Diagnostics;
using System.Net;
using System.Text;
using Graphport.Grains;
using Graphport.Silo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Trace;

namespace Graphport.Cluster.Tests.Tracing;

/// <summary>OTLP export follows the standard OTEL_EXPORTER_OTLP_* variables: on when the endpoint is set, off otherwise.</summary>
public sealed class OtlpExportTests
{
    [Fact]
    public void Without_an_endpoint_no_tracer_is_registered()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });

        builder.AddGraphportOpenTelemetry("test", environment: new Dictionary<string, string?>());

        using var host = builder.Build();
        Assert.Null(host.Services.GetService<TracerProvider>());
    }

    [Fact]
    public async Task With_an_endpoint_spans_are_posted_there_over_http_protobuf()
    {
        using var sink = new HttpListener();
        int port = Azure.AzuriteFixture.FreePort();
        sink.Prefixes.Add($"http://127.0.0.1:{port}/");
        sink.Start();
        var received = ReceiveOneAsync(sink);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.AddGraphportOpenTelemetry("otlp-test", environment: new Dictionary<string, string?>
        {
            [TelemetryExtensions.EndpointVariable] = $"http://127.0.0.1:{port}",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        });

        using (var host = builder.Build())
        {
            await host.StartAsync();
            using (var span = GraphportTelemetry.Grains.StartActivity("otlp_probe")) span?.SetTag("probe", "otlp");
            await host.StopAsync();
        }

        var (path, body) = await received.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("/v1/traces", path);
        Assert.Contains("otlp_probe", body);
    }

    private static async Task<(string Path, string Body)> ReceiveOneAsync(HttpListener sink)
    {
        while (true)
        {
            var context = await sink.GetContextAsync();
            using var reader = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(reader);
            context.Response.StatusCode = 200;
            context.Response.Close();
            // Other tests' spans may arrive too (providers listen process-wide); wait for this test's.
            string body = Encoding.Latin1.GetString(reader.ToArray());
            if (body.Contains("otlp_probe", StringComparison.Ordinal)) return (context.Request.Url!.AbsolutePath, body);
        }
    }
}
