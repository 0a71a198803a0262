using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Graphport.Silo;

/// <summary>
/// The HTTP endpoints Kubernetes probes, on <see cref="GraphportSiloOptions.HttpPort"/>: /healthz/live (the checks
/// tagged live: the GPU is not lost) and /healthz/ready (tagged ready: the silo is active and its blob store works).
/// 200 when healthy, 503 when not, with one line per check in the body saying which failed and why.
/// </summary>
public static class HealthEndpoints
{
    public const string LivePath = "/healthz/live";

    public const string ReadyPath = "/healthz/ready";

    public const string LiveTag = "live";

    public const string ReadyTag = "ready";

    public static void Map(IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseHealthChecks(LivePath, Options(LiveTag));
        app.UseHealthChecks(ReadyPath, Options(ReadyTag));
    }

    private static HealthCheckOptions Options(string tag) => new()
    {
        Predicate = registration => registration.Tags.Contains(tag),
        ResponseWriter = WriteText,
    };

    /// <summary>"Healthy" or "Unhealthy" on the first line (what a probe log shows), then "name: status - why" per check.</summary>
    private static Task WriteText(HttpContext context, HealthReport report)
    {
        var text = new StringBuilder().Append(report.Status).Append('\n');
        foreach (var (name, entry) in report.Entries.OrderBy(e => e.Key, StringComparer.Ordinal))
            text.Append(name).Append(": ").Append(entry.Status).Append(" - ").Append(entry.Description).Append('\n');
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(text.ToString());
    }
}
