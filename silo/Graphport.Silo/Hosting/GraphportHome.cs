namespace Graphport.Silo;

/// <summary>The data directory of an embedded cluster: GRAPHPORT_HOME when set, else ~/.graphport.</summary>
public static class GraphportHome
{
    public const string EnvironmentVariable = "GRAPHPORT_HOME";

    public static string Resolve(string? explicitPath = null, Func<string, string?>? environment = null)
    {
        if (!string.IsNullOrWhiteSpace(explicitPath)) return Path.GetFullPath(explicitPath);
        var fromEnvironment = (environment ?? Environment.GetEnvironmentVariable)(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment)) return Path.GetFullPath(fromEnvironment);
        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".graphport");
    }
}
