using Graphport.Tests.Interop;

namespace Graphport.Kernels.Tests.GpuKit;

/// <summary>
/// bench/gpu/autotune_shards.py, which lets several processes share out torch.compile max-autotune's autotuning
/// shape by shape on the device (each shape measured once, into one Inductor cache) so that a lease's few minutes
/// cover models whose autotuning takes longer than that in one process. Checked against the PyTorch CI installs,
/// with Inductor's own classes: a PyTorch update that moves what the script patches fails here first.
/// </summary>
public sealed class AutotuneShardsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("graphport-autotune-shards-").FullName;
    private readonly string _python = TorchPython.Require();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Every_patch_the_shards_need_applies_to_the_installed_PyTorch()
    {
        string output = Run("""
            applied = autotune_shards.install(cache, shard=True, gpu_lock=True)
            print(sorted(k for k, v in applied.items() if v is True), [v for v in applied.values() if v is not True])
            """);

        Assert.Contains("['claims', 'gpu_lock', 'merging_cache_write', 'stop_before_codegen'] []", output);
    }

    [Fact]
    public void Two_processes_writing_autotune_timings_from_stale_reads_keep_both_processes_shapes()
    {
        // Inductor reads the timings file before benchmarking and writes back what it read plus its own shapes; two
        // compiles that read it at the same moment must not drop each other's work.
        string output = Run("""
            from torch._inductor.codecache import PersistentCache
            autotune_shards.install(cache)
            first, second = PersistentCache(), PersistentCache()
            seen_by_first, seen_by_second = first.get_local_cache(), second.get_local_cache()
            seen_by_first.setdefault("convolution", {})["shape-a"] = {"highest": {"triton-1": 0.5, "aten": 0.7}}
            seen_by_second.setdefault("convolution", {})["shape-b"] = {"highest": {"triton-2": 0.2}}
            seen_by_second.setdefault("mm", {})["shape-c"] = {"highest": {"aten": 0.1}}
            first.update_local_cache(seen_by_first)
            second.update_local_cache(seen_by_second)
            kept = PersistentCache().get_local_cache()
            print("kept", sorted((op, shape) for op, shapes in kept.items() for shape in shapes))
            """);

        Assert.Contains("kept [('convolution', 'shape-a'), ('convolution', 'shape-b'), ('mm', 'shape-c')]", output);
    }

    [Fact]
    public void A_shape_is_tuned_only_by_the_shard_that_claims_it_and_answered_from_the_cache_once_measured()
    {
        string output = Run("""
            import torch
            from torch._inductor import select_algorithm as sa
            from torch._inductor.codecache import PersistentCache
            stats = autotune_shards.Stats(None)
            autotune_shards.install(cache, shard=True, stats=stats, cell=lambda: "resnet50:b32")

            class Candidate:
                def __init__(self, key):
                    self.key, self.failed = key, True  # Inductor gives up on a shape whose candidates all failed
                def hash_key(self):
                    return self.key
            class Aten(sa.ExternKernelCaller):
                def __init__(self):
                    self.failed = True
                def hash_key(self):
                    return "aten"
            choices = [Candidate("triton-1"), Aten(), Candidate("triton-2")]
            selector = sa.AlgorithmSelectorCache()
            def tune(inputs_key):
                try:
                    timings = selector.do_autotuning(name="convolution", input_nodes=[], layout=None, input_gen_fns=None,
                                                     inputs_key=inputs_key, choices=choices, precompile_fn=lambda: {})
                    return sorted((c.hash_key(), t) for c, t in timings.items())
                except sa.NoValidChoicesError:
                    return "Inductor tuned it"

            precision = torch.get_float32_matmul_precision()
            other = autotune_shards.shape_key("convolution", "claimed-elsewhere", None, precision)
            assert autotune_shards.claim(cache, other)
            print("claimed by another shard:", tune("claimed-elsewhere"))
            print("free:", tune("free"), "then", tune("free"))
            measured = PersistentCache().get_local_cache()
            measured["convolution"] = {"measured": {precision: {"triton-1": 0.25, "aten": 0.5, "triton-2": 0.75}}}
            PersistentCache().update_local_cache(measured)
            print("measured:", tune("measured"))
            print("record:", [s["how"] for s in stats.data["shapes"]], {s["cell"] for s in stats.data["shapes"]})
            tuned = stats.data["shapes"][1]
            print("tuned shape:", tuned["choices"], "precompile_s" in tuned, tuned["benchmark_s"], "tuning" in stats.data)
            """);

        Assert.Contains("claimed by another shard: [('aten', 0.001), ('triton-1', 1000000.0), ('triton-2', 1000000.0)]", output);
        // The first call claims the free shape and runs Inductor's own autotuning; the second finds it claimed.
        Assert.Contains("free: Inductor tuned it then [('aten', 0.001), ('triton-1', 1000000.0), ('triton-2', 1000000.0)]", output);
        Assert.Contains("measured: [('aten', 0.5), ('triton-1', 0.25), ('triton-2', 0.75)]", output);
        Assert.Contains("record: ['left to another shard', 'tuned', 'left to another shard', 'cached'] {'resnet50:b32'}", output);
        // Where a tuned shape's time went (its candidates, their precompile, Inductor's timing step: never reached
        // here), and no shape left marked as in progress.
        Assert.Contains("tuned shape: 3 True 0.0 False", output);
    }

    [Fact]
    public void A_shard_stops_its_compile_before_code_generation_and_leaves_no_compiled_graph_behind()
    {
        string output = Run("""
            import torch, os
            import torch_peer
            autotune_shards.install(cache, shard=True)
            try:
                torch.compile(lambda x, y: torch.mm(x, y), dynamic=False)(torch.randn(8, 16), torch.randn(16, 4))
                print("the compile ran")
            except Exception as e:
                print("stopped:", torch_peer.shard_done(e), type(e).__name__)
            graphs = [f for _, _, files in os.walk(os.path.join(cache, "fxgraph")) for f in files]
            print("cached graphs:", len(graphs))
            """);

        Assert.Contains("stopped: True", output);
        Assert.Contains("cached graphs: 0", output);
    }

    [Fact]
    public void A_precompile_stopped_after_its_compile_printed_still_counts_its_cell_as_compiled()
    {
        // On the H200 (run 13) resnet50 b1 compiled in 34 s and its process was stopped while exiting, so the timing
        // round treated the cell as cold and skipped it: the parent now reads the process's log.
        string output = Run("""
            import torch_peer
            log = "shared cache patches: {}\nresnet50 batch 1: compiled in 33.6 s\n"
            print(torch_peer.compiled_in_log(log, [1]), torch_peer.compiled_in_log(log, [32]), torch_peer.compiled_in_log(log, [1, 32]))
            """);

        Assert.Contains("True False False", output);
    }

    [Fact]
    public void A_cells_precompile_starts_once_a_shard_went_through_it_and_no_shard_is_tuning_a_shape_of_it()
    {
        string output = Run("""
            import torch_peer
            through_b1 = {"cells": {"resnet50:b1": {"outcome": "chosen"}}}
            tuning_b1 = {"cells": {}, "tuning": {"cell": "resnet50:b1", "op": "convolution"}}
            tuning_b32 = {"cells": {"resnet50:b1": {"outcome": "chosen"}}, "tuning": {"cell": "resnet50:b32"}}
            failed_b32 = {"cells": {"resnet50:b32": {"outcome": "RuntimeError: ..."}}}
            print("b1 still tuned elsewhere:", sorted(torch_peer.ready_cells([through_b1, tuning_b1])))
            print("b1 done:", sorted(torch_peer.ready_cells([through_b1, tuning_b32, failed_b32])))
            """);

        Assert.Contains("b1 still tuned elsewhere: []", output);
        // b32: one shard is tuning a shape of it and the one that went through it failed: not ready.
        Assert.Contains("b1 done: ['resnet50:b1']", output);
    }

    [Fact]
    public void A_claim_belongs_to_one_process_until_the_next_run_clears_the_claims()
    {
        string output = Run("""
            import subprocess
            key = autotune_shards.shape_key("mm", "inputs", None, "highest")
            other = subprocess.run([python, "-c", f"import sys; sys.path.insert(0, {gpu!r}); import autotune_shards; "
                                    f"print(autotune_shards.claim({cache!r}, {key!r}))"], capture_output=True, text=True).stdout.strip()
            print("other process:", other, "this one:", autotune_shards.claim(cache, key))
            autotune_shards.clear_claims(cache)
            print("after clearing:", autotune_shards.claim(cache, key), autotune_shards.claim(cache, key))
            """);

        Assert.Contains("other process: True this one: False", output);
        Assert.Contains("after clearing: True False", output);
    }

    [Fact]
    public void Benchmarking_holds_the_gpu_lock_across_processes_and_nests_within_one()
    {
        string output = Run("""
            import subprocess, time
            lock = autotune_shards.GpuLock(os.path.join(autotune_shards.locks_dir(cache), autotune_shards.GPU_LOCK))
            log = os.path.join(cache, "order.txt")
            other = f"import sys; sys.path.insert(0, {gpu!r}); import autotune_shards, os\n" \
                    f"lock = autotune_shards.GpuLock(os.path.join(autotune_shards.locks_dir({cache!r}), autotune_shards.GPU_LOCK))\n" \
                    f"open({log!r}, 'a').write('other, waiting\\n')\n" \
                    f"with lock.held():\n    open({log!r}, 'a').write('other\\n')\n"
            with lock.held():
                with lock.held():  # nested in one process: no deadlock
                    waiting = subprocess.Popen([python, "-c", other])
                    while not os.path.exists(log):
                        time.sleep(0.05)
                    time.sleep(0.5)  # the other process is at the lock by now (or would have written past it)
                    open(log, "a").write("this one, still holding\n")
            waiting.wait()
            print(open(log).read().split("\n")[:3])
            """);

        Assert.Contains("['other, waiting', 'this one, still holding', 'other']", output);
    }

    private string Run(string body)
    {
        string root = TorchPython.RepositoryRoot();
        string gpu = Path.Combine(root, "bench", "gpu");
        string cache = Path.Combine(_dir, "cache-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(cache);
        string script = Path.Combine(_dir, "test-" + Guid.NewGuid().ToString("N")[..8] + ".py");
        File.WriteAllText(script, $"""
            import os, sys
            root, gpu, cache = {Quote(root)}, {Quote(gpu)}, {Quote(cache)}
            os.environ["TORCHINDUCTOR_CACHE_DIR"] = cache
            sys.path.insert(0, gpu)
            import autotune_shards
            python = os.environ.get("GRAPHPORT_PYTHON") or sys.executable  # tools/torch/python starts the root's Python

            """ + body);
        var (exit, output) = TorchPython.Run(_python, TimeSpan.FromMinutes(3), script);
        Assert.True(exit == 0, output);
        return output;
    }

    private static string Quote(string text) => "'" + text.Replace("\\", "\\\\").Replace("'", "\\'") + "'";
}
