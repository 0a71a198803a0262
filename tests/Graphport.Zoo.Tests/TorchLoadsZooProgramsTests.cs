using Graphport.Tests.Shared;

namespace Graphport.Zoo.Tests;

/// <summary>
/// Every zoo model's program, exported with its dynamic batch, is a program PyTorch can use: saved as a .pt2 with
/// inputs at two batch sizes and the outputs our loaded program computes for them, it is loaded by
/// torch.export.load, run by ep.module() with the same outputs, saved again by torch.export.save and loaded back,
/// and decomposed by run_decompositions() (bench/torch/load_ours.py, PyTorch 2.x from tools/torch). The Core ATen
/// program Graphport's RunDecompositions makes of each model is checked the same way. The archives go to a
/// temporary folder, deleted after.
/// </summary>
public class TorchLoadsZooProgramsTests
{
    [Fact]
    public void Torch_loads_runs_resaves_and_decomposes_every_zoo_program()
    {
        string folder = Directory.CreateTempSubdirectory("graphport-zoo-torch-").FullName;
        try
        {
            var written = new List<string>();
            var notWritten = new List<string>();
            foreach (var model in ModelZoo.All)
            {
                try
                {
                    Torch.ManualSeed(200);
                    var (_, program) = model.Export(exampleBatch: 2);
                    // Batches 2 and 3: the example's and another, inside the exported range [2, 1024].
                    object?[][] calls = [model.ExampleInputs(2), model.ExampleInputs(3)];
                    TorchProgramCheck.Write(folder, model.Name, program, calls);
                    written.Add(model.Name);
                    TorchProgramCheck.Write(folder, model.Name + "_core", program.RunDecompositions(), calls[1..]);
                    written.Add(model.Name + "_core");
                }
                catch (Exception e)
                {
                    notWritten.Add($"{model.Name}: {e.GetType().Name}: {e.Message.Split('\n')[0]}");
                }
            }
            Assert.True(notWritten.Count == 0, "programs not written: " + string.Join("; ", notWritten));

            var (archives, problems, output) = TorchProgramCheck.Check(folder, TimeSpan.FromMinutes(4));
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
