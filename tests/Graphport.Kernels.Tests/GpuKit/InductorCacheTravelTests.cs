using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json.Nodes;
using Graphport.Tests.Interop;

namespace Graphport.Kernels.Tests.GpuKit;

/// <summary>
/// bench/gpu/inductor_cache.py, which carries torch.compile's caches from one device lease to the next so that
/// max-autotune's minutes of benchmarking are paid once: what it keeps, what it refuses, and that an archive it
/// wrote really turns the next process's compile into a cache hit (PyTorch on the CPU here, as CI installs it).
/// </summary>
public sealed class InductorCacheTravelTests : IDisposable
{
    private const string H100 = "NVIDIA H100 80GB HBM3";
    private readonly string _dir = Directory.CreateTempSubdirectory("graphport-inductor-cache-").FullName;
    private readonly string _python = TorchPython.Require();
    private readonly string _script = Path.Combine(TorchPython.RepositoryRoot(), "bench", "gpu", "inductor_cache.py");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void An_archive_of_one_process_compile_makes_the_next_process_compile_a_cache_hit()
    {
        string program = Write("compile.py", """
            import torch
            from torch._dynamo.utils import counters
            torch.manual_seed(0)
            a, b = torch.randn(8, 16), torch.randn(16, 4)
            out = torch.compile(lambda x, y: torch.mm(x, y), dynamic=False)(a, b)
            assert torch.allclose(out, a @ b)
            print("hits", counters["inductor"]["fxgraph_cache_hit"], "misses", counters["inductor"]["fxgraph_cache_miss"])
            """);
        string first = Path.Combine(_dir, "first"), second = Path.Combine(_dir, "second"), archive = Path.Combine(_dir, "cache.tgz");

        Assert.Contains("hits 0 misses 1", Python(first, program));
        var packed = Verb("pack", first, archive, "--device", "cpu", "--torch", "this");
        Assert.True(packed["groups"]!["fxgraph"]!.GetValue<int>() >= 1, packed.ToJsonString());
        Assert.True(Verb("unpack", archive, second, "--device", "cpu", "--torch", "this")["used"]!.GetValue<bool>());

        // A fresh cache folder holding only what travelled: the compile is served from it.
        Assert.Contains("hits 1 misses 0", Python(second, program));
    }

    [Fact]
    public void Pack_keeps_autotune_timings_configs_and_graphs_and_leaves_out_kernel_binaries_and_locks()
    {
        string cache = FakeCache(graphBytes: 100);
        var packed = Verb("pack", cache, Path.Combine(_dir, "a.tgz"), "--device", H100, "--torch", "2.11.0");

        var listed = Verb("list", Path.Combine(_dir, "a.tgz"));
        var members = listed["members"]!.AsArray().Select(m => m!.GetValue<string>()).ToList();
        Assert.Equal(["cache/system-hash", "k2/kernel.best_config", "aotautograd/ab/entry", "fxgraph/cd/key/entry", "manifest.json"], members);
        Assert.Equal(H100, listed["manifest"]!["device"]!.GetValue<string>());
        Assert.Equal(4, packed["files"]!.GetValue<int>());
        Assert.Equal("inductor-cache-nvidia-h100-80gb-hbm3.tgz", FileName(H100));
    }

    [Fact]
    public void Under_the_size_cap_graphs_are_left_out_before_autotune_timings_and_the_archive_stays_under_it()
    {
        string cache = FakeCache(graphBytes: 600_000, graphs: 4);
        string archive = Path.Combine(_dir, "capped.tgz");
        var packed = Verb("pack", cache, archive, "--device", H100, "--torch", "2.11.0", "--cap-mib", "1");

        Assert.True(new FileInfo(archive).Length <= 1024 * 1024);
        Assert.Equal(1, packed["groups"]!["autotune_timings"]!.GetValue<int>());
        Assert.True(packed["left_out"]!["fxgraph"]!.GetValue<int>() >= 1, packed.ToJsonString());
    }

    [Fact]
    public void Out_of_time_pack_still_completes_a_readable_archive_and_counts_what_it_left_out()
    {
        string archive = Path.Combine(_dir, "late.tgz");
        var packed = Verb("pack", FakeCache(graphBytes: 100), archive, "--device", H100, "--torch", "2.11.0", "--seconds", "0");

        Assert.Equal(0, packed["files"]!.GetValue<int>());
        Assert.Equal(4, packed["left_out"]!["out_of_time"]!.GetValue<int>());
        var listed = Verb("list", archive);
        Assert.Equal(["manifest.json"], listed["members"]!.AsArray().Select(m => m!.GetValue<string>()).ToList());
        Assert.Equal(H100, listed["manifest"]!["device"]!.GetValue<string>());
    }

    [Fact]
    public void A_graph_far_larger_than_the_room_left_is_left_out_and_the_timings_kept()
    {
        // 40 MiB under a 1 MiB cap: left out on its size alone (a real run's graphs with their constants run to
        // gigabytes, too many to compress just to find they do not fit).
        string cache = FakeCache(graphBytes: 40 * 1024 * 1024);
        string archive = Path.Combine(_dir, "big.tgz");
        var packed = Verb("pack", cache, archive, "--device", H100, "--torch", "2.11.0", "--cap-mib", "1");

        Assert.Equal(1, packed["left_out"]!["fxgraph"]!.GetValue<int>());
        Assert.Equal(1, packed["groups"]!["autotune_timings"]!.GetValue<int>());
        Assert.True(new FileInfo(archive).Length <= 1024 * 1024);
    }

    [Fact]
    public void An_archive_made_on_another_gpu_is_not_used_and_says_which()
    {
        string archive = Path.Combine(_dir, "h100.tgz");
        Verb("pack", FakeCache(graphBytes: 10), archive, "--device", H100, "--torch", "2.11.0");

        var record = Verb("unpack", archive, Path.Combine(_dir, "into"), "--device", "NVIDIA H200", "--torch", "2.11.0");

        Assert.False(record["used"]!.GetValue<bool>());
        Assert.Contains("made on NVIDIA H100 80GB HBM3", record["why"]!.GetValue<string>());
        Assert.False(Directory.Exists(Path.Combine(_dir, "into")));
    }

    [Fact]
    public void An_archive_with_a_path_out_of_the_cache_folder_is_refused_and_nothing_is_written_outside()
    {
        string archive = Path.Combine(_dir, "evil.tgz");
        using (var file = File.Create(archive))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            tar.WriteEntry(Entry("manifest.json", $$"""{"device": "{{H100}}", "torch": "2.11.0"}"""));
            tar.WriteEntry(Entry("fxgraph/../../escaped.best_config", "{}"));
        }

        var record = Verb("unpack", archive, Path.Combine(_dir, "into"), "--device", H100, "--torch", "2.11.0");

        Assert.False(record["used"]!.GetValue<bool>());
        Assert.Contains("refusing archive member", record["why"]!.GetValue<string>());
        Assert.False(File.Exists(Path.Combine(_dir, "escaped.best_config")));
    }

    private static PaxTarEntry Entry(string name, string text) =>
        new(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)) };

    /// <summary>A cache folder laid out as TorchInductor 2.11 leaves it after a max-autotune compile.</summary>
    private string FakeCache(int graphBytes, int graphs = 1)
    {
        string cache = Path.Combine(_dir, "cache-" + Guid.NewGuid().ToString("N")[..8]);
        var random = new Random(7);
        void Put(string relative, int bytes)
        {
            string path = Path.Combine(cache, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var data = new byte[bytes];
            random.NextBytes(data);  // incompressible, so the cap is what the archive's size is measured against
            File.WriteAllBytes(path, data);
        }
        Put("cache/system-hash", 200);
        Put("k2/kernel.best_config", 50);
        Put("k2/kernel.py", 500);
        Put("aotautograd/ab/entry", 100);
        for (int g = 0; g < graphs; g++) Put(graphs == 1 ? "fxgraph/cd/key/entry" : $"fxgraph/cd/key{g}/entry", graphBytes);
        Put("triton/0/HASH/kernel.cubin", 300_000);
        Put("locks/kernel.lock", 0);
        return cache;
    }

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private string Python(string cacheDir, string script)
    {
        var (exit, output) = TorchPython.Run(_python, TimeSpan.FromMinutes(3), "-c",
            $"import os; os.environ['TORCHINDUCTOR_CACHE_DIR'] = {Quote(cacheDir)}; exec(open({Quote(script)}).read())");
        Assert.True(exit == 0, output);
        return output;
    }

    private JsonNode Verb(params string[] arguments)
    {
        var (exit, output) = TorchPython.Run(_python, TimeSpan.FromMinutes(1), [_script, .. arguments]);
        string last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(l => l.StartsWith('{')) ?? "";
        Assert.True(last.Length > 0 && (exit == 0 || arguments[0] == "unpack"), $"exit {exit}: {output}");
        return JsonNode.Parse(last)!;
    }

    private string FileName(string device)
    {
        var (exit, output) = TorchPython.Run(_python, TimeSpan.FromMinutes(1), "-c",
            $"import sys; sys.path.insert(0, {Quote(Path.GetDirectoryName(_script)!)}); import inductor_cache; print(inductor_cache.file_name({Quote(device)}))");
        Assert.True(exit == 0, output);
        return output.Trim();
    }

    private static string Quote(string text) => "'" + text.Replace("\\", "\\\\").Replace("'", "\\'") + "'";
}
