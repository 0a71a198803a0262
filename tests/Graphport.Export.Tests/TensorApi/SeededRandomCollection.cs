namespace Graphport.Tests.TensorApi;

/// <summary>
/// Tests that seed the process-wide generator and then compare sequences run alone: any test running beside them
/// (module construction draws weights) would consume numbers between their ManualSeed and their draws.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SeededRandomCollection
{
    public const string Name = "Seeded global random generator";
}
