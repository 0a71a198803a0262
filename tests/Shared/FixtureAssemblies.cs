using System.Reflection;

namespace Graphport.Tests;

/// <summary>
/// The user-module assemblies of tests/Fixtures, where the build put them (tests/Fixtures/Fixtures.props): the DLLs a
/// user would pass to graphport silo --modules.
/// </summary>
public static class FixtureAssemblies
{
    /// <summary>Module scaled_relu (relu(x * 3) + 1 through the custom operator user_ops::relu_plus_one) and weights_from_file, whose constructor fails.</summary>
    public static string UserModules => Find("UserModules");

    /// <summary>UserModules' dependency, beside it: a .NET assembly with no modules or operators.</summary>
    public static string UserModuleHelpers => Path.Combine(Path.GetDirectoryName(UserModules)!, "UserModuleHelpers.dll");

    /// <summary>A module without a parameterless constructor, a marked class that is no Module, one name on two classes, a library that fails to initialize.</summary>
    public static string BrokenModules => Find("BrokenModules");

    /// <summary>Its own module named scaled_relu, as UserModules' is.</summary>
    public static string ClashingModules => Find("ClashingModules");

    private static string Find(string fixture)
    {
        string path = typeof(FixtureAssemblies).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == $"Fixture:{fixture}")?.Value
            ?? throw new InvalidOperationException($"The test assembly names no Fixture:{fixture}; import tests/Fixtures/Fixtures.props in its project.");
        path = Path.GetFullPath(path);
        return File.Exists(path) ? path : throw new FileNotFoundException($"The fixture {fixture} was not built: {path}. Build the test project (it builds tests/Fixtures).", path);
    }
}
