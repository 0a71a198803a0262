using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Graphport.Bench;

/// <summary>
/// The "decode" subcommand: token-by-token generation with a static key/value cache, Graphport's frozen CPU module
/// against PyTorch's ep.module() on the same archive and CPU. bench/torch/decode_peer.py (run with --torch-python)
/// exports a seeded Llama decoder step as transformers' executorch integration writes it, saves it, times torch, and
/// records the first tokens' logits; this loads the archive, checks those tokens against torch's, and times its own
/// tokens the same way (a warm-up of seconds, then the mean of timed tokens), printing the ratio.
/// </summary>
public static class DecodeBench
{
    public static int Run(string[] args)
    {
        string python = "tools/torch/python";
        int cache = 1024, tokens = 200;
        string? jsonPath = null, decomposed = null;
        for (int i = 1; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            try
            {
                switch (args[i])
                {
                    case "--torch-python": python = Next(); break;
                    case "--cache": cache = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--tokens": tokens = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--json": jsonPath = Next(); break;
                    case "--decomposed":
                        decomposed = Next();
                        if (decomposed is not ("core" or "core-gqa"))
                            throw new ArgumentException($"--decomposed takes core (torch's Core ATen decomposition) or core-gqa (grouped-query attention kept on the unrepeated heads), not '{decomposed}'");
                        break;
                    default: throw new ArgumentException($"unknown option {args[i]}; decode takes --torch-python PYTHON, --cache N, --tokens N, --decomposed core|core-gqa, --json FILE");
                }
            }
            catch (Exception e) when (e is ArgumentException or FormatException)
            {
                Console.Error.WriteLine(e.Message);
                return 2;
            }
        }
#if DEBUG
        Console.Error.WriteLine("warning: Debug build; timings are only meaningful with -c Release.");
#endif
        string folder = Path.Combine(Path.GetTempPath(), $"graphport-decode-{Environment.ProcessId}");
        string script = Path.Combine(TorchExportPeer.RepositoryRoot(), "bench", "torch", "decode_peer.py");
        var start = new ProcessStartInfo(python) { UseShellExecute = false };
        foreach (string argument in new[] { script, "--out", folder, "--cache", cache.ToString(CultureInfo.InvariantCulture), "--tokens", tokens.ToString(CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(argument);
        try
        {
            using var process = Process.Start(start) ?? throw new IOException($"could not start {python}");
            process.WaitForExit();
            if (process.ExitCode != 0) throw new IOException($"{python} {script} failed with exit code {process.ExitCode} (its output is above).");
        }
        catch (Exception e) when (e is IOException or System.ComponentModel.Win32Exception)
        {
            Console.Error.WriteLine($"{e.Message} The peer needs a Python with torch and transformers: tools/torch/install.sh installs one as tools/torch/python.");
            return 1;
        }
        var torch = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "decode_torch.json")))!;
        string archive = torch["archive"]!.GetValue<string>();

        // What an executor serves after `graphport decompose NAME --table core|core-gqa`, when asked for.
        var program = ExportedProgram.Load(archive);
        if (decomposed is not null) program = program.RunDecompositions(null, groupedQueryAttention: decomposed == "core-gqa");
        var module = program.Module().Freeze();
        int position = 0;
        Tensor Step() => module.Call(Tensor.FromArray(new long[] { position % 997 + 3 }, 1, 1), Tensor.FromArray(new long[] { position++ % cache }, 1));
        // The first tokens from a fresh cache, against torch's logits for the same tokens.
        double worst = 0;
        foreach (var expected in torch["logits"]!.AsArray())
        {
            var ours = Step().ToArray<float>();
            var theirs = expected!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
            worst = Math.Max(worst, ours.Zip(theirs, (a, b) => Math.Abs(a - b)).Max());
        }
        var warm = Stopwatch.StartNew();
        while (warm.Elapsed.TotalSeconds < 4) Step();
        var tokenMs = new double[tokens];
        for (int i = 0; i < tokens; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            Step();
            tokenMs[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        }
        double ours_ = tokenMs.Average(), theirs_ = torch["ms_per_token"]!.GetValue<double>();
        double oursMedian = Median(tokenMs), theirsMedian = Median(torch["token_ms"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray());
        Console.WriteLine($"{RuntimeInformation.FrameworkDescription}, {Environment.ProcessorCount} cores; Llama decoder step (4 layers, hidden 256, 8 query / 2 key-value heads), static cache of {cache}");
        Console.WriteLine($"  first {torch["logits"]!.AsArray().Count} tokens: max |Graphport - torch| = {worst:G3}");
        Console.WriteLine($"  Graphport (frozen{(decomposed is null ? "" : ", decomposed " + decomposed)}): {ours_:F3} ms per token (median {oursMedian:F3})");
        Console.WriteLine($"  PyTorch {torch["torch"]} ep.module(): {theirs_:F3} ms per token (median {theirsMedian:F3}), {torch["threads"]} threads");
        Console.WriteLine($"  ratio Graphport / PyTorch: {ours_ / theirs_:F2} (medians {oursMedian / theirsMedian:F2})");
        if (jsonPath is not null)
        {
            var result = new JsonObject
            {
                ["cache"] = cache,
                ["tokens"] = tokens,
                ["decomposed"] = decomposed,
                ["cores"] = Environment.ProcessorCount,
                ["max_abs_diff_first_tokens"] = worst,
                ["graphport_ms_per_token"] = ours_,
                ["graphport_median_ms"] = oursMedian,
                ["torch"] = torch["torch"]!.GetValue<string>(),
                ["torch_threads"] = torch["threads"]!.GetValue<int>(),
                ["torch_ms_per_token"] = theirs_,
                ["torch_median_ms"] = theirsMedian,
                ["ratio"] = ours_ / theirs_,
            };
            File.WriteAllText(jsonPath, result.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            Console.WriteLine($"wrote {jsonPath}");
        }
        return worst <= 1e-3 ? 0 : 3;
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
