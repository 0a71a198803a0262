using Microsoft.Extensions.Logging;

namespace Graphport.Client;

/// <summary>
/// An in-process single silo: localhost clustering on free ports, local-folder storage under the data directory
/// (GRAPHPORT_HOME or ~/.graphport by default), so programs stored by one run are there for the next.
/// </summary>
public sealed class EmbeddedClusterOptions
{
    /// <summary>The data directory; null means GRAPHPORT_HOME, else ~/.graphport.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>Silo metadata (gpu, device, gpu_memory).</summary>
    public Dictionary<string, string> Metadata { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The user's assemblies for the silo to load (paths of .dll files): their [GraphportModule] classes export as
    /// "module:NAME" and their [GraphportOperators] libraries define custom operators (GraphportSiloOptions.Modules).
    /// </summary>
    public List<string> ModuleAssemblies { get; set; } = [];

    /// <summary>Extra silo configuration, e.g. registering modules with Services.AddGraphportModule.</summary>
    public Action<ISiloBuilder>? ConfigureSilo { get; set; }

    /// <summary>Silo logs (to stderr); warnings and errors only by default, so a CLI's output stays readable.</summary>
    public LogLevel LogLevel { get; set; } = LogLevel.Warning;

    /// <summary>Looks up GRAPHPORT_HOME; tests pass their own.</summary>
    public Func<string, string?>? Environment { get; set; }
}
