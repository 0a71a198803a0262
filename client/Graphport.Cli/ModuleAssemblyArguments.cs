using Graphport.Grains;

namespace Graphport.Cli;

/// <summary>
/// --modules FILE.dll (repeatable): the user's assemblies for the silo a command runs (graphport silo, or a command's
/// embedded silo). Loaded while the arguments are checked, so a missing or unusable assembly is a usage error before
/// any silo starts; the silo then finds them loaded (an assembly loads once per process).
/// </summary>
internal static class ModuleAssemblyArguments
{
    public const string Option = "--modules";

    public static IReadOnlyList<UserAssembly> Load(CommandArguments arguments, CommandContext context)
    {
        var paths = arguments.OptionValues(Option).Select(p => Path.GetFullPath(Path.Combine(context.WorkingDirectory, p))).ToList();
        if (paths.Count == 0) return [];
        try
        {
            return UserAssemblies.Load(paths);
        }
        catch (UserAssemblyException e)
        {
            throw new UsageException($"{Option}: {e.Message}");
        }
    }
}
