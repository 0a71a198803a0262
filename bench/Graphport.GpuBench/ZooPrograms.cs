using System.Diagnostics;
using System.Text.Json.Nodes;
using Graphport.Zoo;

namespace Graphport.GpuBench;

/// <summary>
/// The zoo's programs, exported the same way in every process of a run (a seed per model, so the weights are
/// the same), and saved as programs/&lt;model&gt;.pt2 for torch_peer.py and load_ours.py.
/// </summary>
public static class ZooPrograms
{
    /// <summary>Exports one zoo model with its dynamic batch (strict, the default), from a seed fixed per model.</summary>
    public static ExportedProgram Export(ZooModel model)
    {
        Torch.ManualSeed(SeedOf(model));
        return model.Export(exampleBatch: 2).Program;
    }

    public static ulong SeedOf(ZooModel model) => 100 + (ulong)ModelZoo.All.ToList().IndexOf(model);

    public static string Folder(BenchContext context) => context.PathOf("programs");

    public static string Save(BenchContext context)
    {
        var folder = Folder(context);
        Directory.CreateDirectory(folder);
        var records = new JsonArray();
        int saved = 0;
        foreach (var model in ModelZoo.All)
        {
            var record = new JsonObject { ["model"] = model.Name, ["seed"] = SeedOf(model) };
            records.Add(record);
            try
            {
                var clock = Stopwatch.StartNew();
                var program = Export(model);
                record["export_ms"] = Math.Round(clock.Elapsed.TotalMilliseconds, 1);
                record["nodes"] = program.Graph.Nodes.Count;
                record["parameters"] = program.StateDict.Count;
                var path = Path.Combine(folder, model.Name + ".pt2");
                program.Save(path);
                record["file"] = $"programs/{model.Name}.pt2";
                record["bytes"] = new FileInfo(path).Length;
                var reloaded = ExportedProgram.Load(path);
                record["reloads"] = reloaded.Graph.Nodes.Count == program.Graph.Nodes.Count;
                saved++;
                context.Say($"program {model.Name}: {program.Graph.Nodes.Count} nodes, {new FileInfo(path).Length / 1024} KiB");
            }
            catch (Exception e)
            {
                record["error"] = JsonOut.Error(e);
                context.Say($"program {model.Name}: {e.GetType().Name}: {JsonOut.Cap(e.Message, 300)}");
            }
            JsonOut.Write(context.PathOf("programs.json"), records);
        }
        return $"{saved} of {ModelZoo.All.Count} programs saved to {folder}";
    }
}
