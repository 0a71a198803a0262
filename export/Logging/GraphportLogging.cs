using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Graphport;

/// <summary>
/// The engine's log channels, like torch's TORCH_LOGS: `GRAPHPORT_LOGS=dynamic` (comma-separated; `+dynamic`
/// for debug detail) switches on the shape-reasoning log. <see cref="SetLogs"/> does the same from code, and
/// <see cref="UseLoggerFactory"/> routes everything to the host's logging instead of the console.
/// </summary>
public static class GraphportLogging
{
    public const string DynamicCategory = "Graphport.Dynamic";
    public const string ExportCategory = "Graphport.Export";

    private static readonly object Gate = new();
    private static ILoggerFactory? factory;
    private static LogLevel dynamicLevel = LogLevel.None;
    private static LogLevel exportLevel = LogLevel.None;
    private static ILogger dynamicLogger = NullLogger.Instance;
    private static ILogger exportLogger = NullLogger.Instance;

    static GraphportLogging()
    {
        ApplyEnvironment(Environment.GetEnvironmentVariable("GRAPHPORT_LOGS"));
    }

    /// <summary>Symbols created, replacements, guards added (torch's "dynamic" channel).</summary>
    public static ILogger Dynamic => dynamicLogger;

    /// <summary>Export stages: graph breaks found, tracing start/end, constraint summaries.</summary>
    public static ILogger Export => exportLogger;

    /// <summary>Sets the channels' levels; LogLevel.None switches a channel off.</summary>
    public static void SetLogs(LogLevel dynamic = LogLevel.None, LogLevel export = LogLevel.None)
    {
        lock (Gate)
        {
            dynamicLevel = dynamic;
            exportLevel = export;
            Rebuild();
        }
    }

    /// <summary>Sends the channels to a host's logger factory (levels are then the host's to filter).</summary>
    public static void UseLoggerFactory(ILoggerFactory loggerFactory)
    {
        lock (Gate)
        {
            factory = loggerFactory;
            dynamicLogger = loggerFactory.CreateLogger(DynamicCategory);
            exportLogger = loggerFactory.CreateLogger(ExportCategory);
        }
    }

    internal static void ApplyEnvironment(string? spec)
    {
        LogLevel dyn = LogLevel.None, exp = LogLevel.None;
        foreach (var raw in (spec ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            bool verbose = raw.StartsWith('+');
            string name = raw.TrimStart('+', '-').ToLowerInvariant();
            var level = raw.StartsWith('-') ? LogLevel.None : verbose ? LogLevel.Debug : LogLevel.Information;
            if (name is "dynamic" or "all") dyn = level;
            if (name is "export" or "all") exp = level;
        }
        SetLogs(dyn, exp);
    }

    private static void Rebuild()
    {
        if (dynamicLevel == LogLevel.None && exportLevel == LogLevel.None)
        {
            dynamicLogger = NullLogger.Instance;
            exportLogger = NullLogger.Instance;
            return;
        }
        factory?.Dispose();
        var dyn = dynamicLevel;
        var exp = exportLevel;
        factory = LoggerFactory.Create(builder => builder
            .AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; })
            .AddFilter(DynamicCategory, dyn)
            .AddFilter(ExportCategory, exp));
        dynamicLogger = dyn == LogLevel.None ? NullLogger.Instance : factory.CreateLogger(DynamicCategory);
        exportLogger = exp == LogLevel.None ? NullLogger.Instance : factory.CreateLogger(ExportCategory);
    }
}
