using Graphport.Tests.Interop;

namespace Graphport.Tests.Serialization;

/// <summary>
/// The archives under tests/fixtures/pt2 - Graphport-made ones, and torch-made ones written by make_fixtures.py with
/// PyTorch 2.14 - load and reproduce the outputs recorded next to them. The same expectations are what
/// make_fixtures.py checks torch.export.load against; TorchMadeArchivesTests makes fresh torch archives each run.
/// </summary>
public class CommittedFixtureTests
{
    private static string FixtureFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "fixtures", "pt2");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException("tests/fixtures/pt2 was not found above the test assembly.");
    }

    [Theory]
    [InlineData("graphport", 5)]
    [InlineData("torch", 10)]
    public void Committed_archives_load_and_reproduce_their_expected_outputs(string madeBy, int atLeast)
    {
        string folder = Path.Combine(FixtureFolder(), madeBy);
        var archives = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.pt2").Order(StringComparer.Ordinal).ToList() : [];
        Assert.True(archives.Count >= atLeast,
            $"only {archives.Count} archives in tests/fixtures/pt2/{madeBy}; regenerate them as tests/fixtures/pt2/README.md says");
        foreach (var archive in archives) Assert.True(Pt2Fixture.Check(archive) >= 1, $"{archive} has no cases");
    }
}
