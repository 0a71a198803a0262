using Graphport.Tests.Shared;

namespace Graphport.ExportDB.Tests;

/// <summary>
/// Every program the ExportDB exports is a program PyTorch can use: each supported case is exported, saved as a
/// .pt2 with its example and extra inputs and the outputs our loaded program computes for them, and
/// bench/torch/load_ours.py (PyTorch 2.x from tools/torch) loads it with torch.export.load, runs ep.module() on
/// those inputs and compares, saves it again with torch.export.save and loads it back, and decomposes it with
/// run_decompositions(). The Core ATen program Graphport's RunDecompositions makes of each (&lt;case&gt;_core) is
/// checked the same way. The test fails listing every archive and step that failed.
/// </summary>
public class TorchLoadsExportDbProgramsTests
{
    /// <summary>
    /// The custom ops of the ExportDB's programs, registered in torch as their cases define them with a Library
    /// (schema, kernel, abstract implementation): torch.export.load resolves every node's operator, and a custom op
    /// is one only its registration provides, for torch's own programs too. A program calling a custom op missing
    /// here fails the test.
    /// </summary>
    private static readonly Dictionary<string, string> CustomOpsInTorch = new()
    {
        // UnsupportedOperatorRewrite: Define("scale(Tensor input) -> Tensor"), Impl t * 3, ImplAbstract EmptyLike.
        ["exportdb_with_meta::scale"] = """
            torch.library.define("exportdb_with_meta::scale", "(Tensor input) -> Tensor")
            torch.library.impl("exportdb_with_meta::scale", "CompositeExplicitAutograd", lambda input: input * 3)
            torch.library.register_fake("exportdb_with_meta::scale", lambda input: torch.empty_like(input))
            """,
    };

    [Fact]
    public void Torch_loads_runs_resaves_and_decomposes_every_ExportDB_program()
    {
        var supported = ExportDb.Cases.Where(c => c.Support == SupportLevel.Supported).ToList();
        Assert.True(supported.Count >= 30, $"only {supported.Count} supported cases");
        string folder = Directory.CreateTempSubdirectory("graphport-exportdb-torch-").FullName;
        try
        {
            var written = new List<string>();
            var notWritten = new List<string>();
            var customOps = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var @case in supported)
            {
                try
                {
                    var run = ExportDb.Run(@case);
                    if (run.Program is null) throw run.Error!;
                    customOps.UnionWith(TorchProgramCheck.CustomOps(run.Program));
                    TorchProgramCheck.Write(folder, @case.Name, run.Program, [run.ExampleInputs(), .. run.ExtraInputs()]);
                    written.Add(@case.Name);
                    TorchProgramCheck.Write(folder, @case.Name + "_core", run.Program.RunDecompositions(), [run.ExampleInputs(), .. run.ExtraInputs()]);
                    written.Add(@case.Name + "_core");
                }
                catch (Exception e)
                {
                    notWritten.Add($"{@case.Name}: {e.GetType().Name}: {e.Message.Split('\n')[0]}");
                }
            }
            Assert.True(notWritten.Count == 0, "programs not written: " + string.Join("; ", notWritten));
            var unregistered = customOps.Where(op => !CustomOpsInTorch.ContainsKey(op)).ToList();
            Assert.True(unregistered.Count == 0, $"custom ops with no torch registration in {nameof(CustomOpsInTorch)}: {string.Join(", ", unregistered)}");

            string prelude = "import torch\n" + string.Concat(customOps.Select(op => CustomOpsInTorch[op]));
            var (archives, problems, output) = TorchProgramCheck.Check(folder, TimeSpan.FromMinutes(4), prelude);
            Assert.Equal(written.Order(StringComparer.Ordinal), archives.Order(StringComparer.Ordinal));
            Assert.True(problems.Count == 0, $"{problems.Count} step(s) failed in torch:\n{string.Join("\n", problems)}\n\nload_ours.py:\n{output}");
        }
        finally
        {
            // GRAPHPORT_KEEP_TORCH_CHECK=1 keeps the archives and load_ours.json (with torch's printout of each program).
            if (Environment.GetEnvironmentVariable("GRAPHPORT_KEEP_TORCH_CHECK") is null) Directory.Delete(folder, recursive: true);
        }
    }
}
