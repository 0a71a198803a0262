using Graphport.Tests.Exporting;
using Graphport.Tests.Shared;
using Graphport.Tests.TensorApi;
using static Graphport.Torch;

namespace Graphport.Tests.Interop;

/// <summary>
/// Programs written with the C# Tensor API's indexing and methods are programs PyTorch 2.14 runs: torch loads our
/// archives of x[idx] reads and writes, a mask's pick (an unbacked size) and the sorting, scatter, norm and
/// rearranging methods, computes what Graphport computed, saves them again and decomposes them.
/// </summary>
public class TensorApiTorchTests
{
    [Fact]
    public void Torch_loads_runs_resaves_and_decomposes_programs_that_index_and_call_the_tensor_methods()
    {
        TorchPython.Require();
        string folder = Directory.CreateTempSubdirectory("graphport-tensor-api-").FullName;
        try
        {
            var rng = new Random(Environment.TickCount);
            Tensor Rows(int n) => Tensor.FromArray(Enumerable.Range(0, 5).OrderBy(_ => rng.Next()).Take(n).Select(r => (long)r - rng.Next(2) * 5).ToArray(), n);
            Tensor Positions() => Tensor.FromArray(Enumerable.Range(0, 12).Select(_ => (long)rng.Next(4)).ToArray(), 3, 4);
            var count = new Dim("count", min: 1, max: 5);
            var programs = new (string Name, ExportedProgram Program, object?[][] Calls)[]
            {
                ("gathers_and_scatters_rows", Export(new GathersAndScattersRows(), [Randn(5, 4), Rows(3)], dynamicShapes: new() { ["i"] = new() { [0] = count } }),
                    [[Randn(5, 4), Rows(3)], [Randn(5, 4), Rows(5)]]),
                ("clips_and_sums_by_mask", Export(new ClipsAndSumsByMask(), [Randn(5, 4)]), [[Randn(5, 4)], [Randn(5, 4)]]),
                ("uses_the_methods", Export(new TensorMethodsTests.UsesTheMethods(), [Randn(3, 4), Positions()]), [[Randn(3, 4), Positions()]]),
            };
            foreach (var (name, program, calls) in programs) TorchProgramCheck.Write(folder, name, program, calls);

            var (archives, problems, output) = TorchProgramCheck.Check(folder, TimeSpan.FromMinutes(4));
            Assert.True(archives.Count == programs.Length, $"load_ours.py checked {archives.Count} of {programs.Length} archives:\n{output}");
            Assert.True(problems.Count == 0, $"{problems.Count} step(s) failed in torch:\n" + string.Join("\n", problems));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
