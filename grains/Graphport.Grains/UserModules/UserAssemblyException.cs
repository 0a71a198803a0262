namespace Graphport.Grains;

/// <summary>
/// User assemblies that could not be loaded: one line per problem, each naming the file (and the type or member)
/// and what to change. Thrown before the silo starts, so a silo never runs with half of its modules.
/// </summary>
public sealed class UserAssemblyException(IReadOnlyList<string> problems) : Exception(string.Join("\n", problems))
{
    public UserAssemblyException(string problem) : this([problem])
    {
    }

    public IReadOnlyList<string> Problems { get; } = problems;
}
