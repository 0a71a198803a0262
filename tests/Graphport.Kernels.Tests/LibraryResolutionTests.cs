using Graphport.Kernels.Interop;
using Graphport.Kernels.Runtime;

namespace Graphport.Kernels.Tests;

public class LibraryResolutionTests
{
    private static LibrarySearchEnvironment Fake(Dictionary<string, string> variables, params string[] pythonDirs) =>
        new(name => variables.GetValueOrDefault(name), _ => true,
            dir => pythonDirs.Where(p => Path.GetDirectoryName(p) == dir), "/home/u");

    [Fact]
    public void Nvrtc_prefers_cuda_13_everywhere_before_falling_back_to_12()
    {
        var candidates = CudaLibrarySearch.Candidates(CudaLibrary.Nvrtc, Fake([])).Select(c => c.Path).ToList();
        int last13 = candidates.FindLastIndex(p => p.Contains("libnvrtc.so.13", StringComparison.Ordinal));
        int first12 = candidates.FindIndex(p => p.Contains("libnvrtc.so.12", StringComparison.Ordinal));
        Assert.True(last13 < first12, string.Join("\n", candidates));
        Assert.Equal("libnvrtc.so.13", candidates[0]);
    }

    [Fact]
    public void Search_order_is_loader_then_cuda_path_then_usr_local_then_python_wheels()
    {
        var env = Fake(new() { ["CUDA_PATH"] = "/opt/cuda", ["VIRTUAL_ENV"] = "/venv" }, "/venv/lib/python3.12");
        var paths = CudaLibrarySearch.Candidates(CudaLibrary.CublasLt, env).Select(c => c.Path).ToList();
        int Index(string p) => paths.IndexOf(p);
        Assert.Equal(0, Index("libcublasLt.so.13"));
        Assert.True(Index("/opt/cuda/lib64/libcublasLt.so.13") > 0);
        Assert.True(Index("/usr/local/cuda/lib64/libcublasLt.so.13") > Index("/opt/cuda/lib64/libcublasLt.so.13"));
        Assert.True(Index("/venv/lib/python3.12/site-packages/nvidia/cu13/lib/libcublasLt.so.13") > Index("/usr/local/cuda/lib64/libcublasLt.so.13"));
        Assert.True(Index("/venv/lib/python3.12/site-packages/nvidia/cublas/lib/libcublasLt.so.12") > Index("libcublasLt.so.12"));
    }

    [Fact]
    public void The_bench_machines_torch_venv_is_searched_and_newer_pythons_come_first()
    {
        var env = Fake([], "/opt/torch/.venv/lib/python3.11", "/opt/torch/.venv/lib/python3.12");
        var sites = CudaLibrarySearch.PythonSitePackages(env);
        Assert.True(sites.ToList().IndexOf("/opt/torch/.venv/lib/python3.12/site-packages") < sites.ToList().IndexOf("/opt/torch/.venv/lib/python3.11/site-packages"));
        Assert.Contains(CudaLibrarySearch.Candidates(CudaLibrary.Nvrtc, env), c => c.Path == "/opt/torch/.venv/lib/python3.12/site-packages/nvidia/cu13/lib/libnvrtc.so.13");
    }

    [Fact]
    public void The_driver_is_only_ever_libcuda_so_1_never_a_toolkit_stub()
    {
        var env = Fake(new() { ["CUDA_PATH"] = "/opt/cuda" });
        var candidates = CudaLibrarySearch.Candidates(CudaLibrary.Driver, env);
        Assert.All(candidates, c => Assert.EndsWith("libcuda.so.1", c.Path, StringComparison.Ordinal));
        Assert.DoesNotContain(candidates, c => c.Path.Contains("stubs", StringComparison.Ordinal) || c.Path.StartsWith("/opt/cuda", StringComparison.Ordinal));
    }

    [Fact]
    public void Nvrtc_alone_from_install_nvrtc_is_found_after_any_toolkit_and_only_for_nvrtc()
    {
        var paths = CudaLibrarySearch.Candidates(CudaLibrary.Nvrtc, Fake([])).Select(c => c.Path).ToList();
        Assert.True(paths.IndexOf("/opt/graphport-nvrtc/lib/libnvrtc.so.12") > paths.IndexOf("/usr/local/cuda/lib64/libnvrtc.so.12"));
        var moved = CudaLibrarySearch.Candidates(CudaLibrary.Nvrtc, Fake(new() { ["GRAPHPORT_NVRTC_DIR"] = "/tmp/nv" })).Select(c => c.Path).ToList();
        Assert.Contains("/tmp/nv/lib/libnvrtc.so.12", moved);
        Assert.DoesNotContain(moved, p => p.StartsWith("/opt/graphport-nvrtc", StringComparison.Ordinal));
        Assert.DoesNotContain(CudaLibrarySearch.Candidates(CudaLibrary.CublasLt, Fake([])), c => c.Path.Contains("graphport-nvrtc", StringComparison.Ordinal));
    }

    [Fact]
    public void Explicit_site_packages_come_before_discovered_ones()
    {
        var env = Fake(new() { ["GRAPHPORT_PYTHON_SITE_PACKAGES"] = "/a/site:/b/site" });
        var sites = CudaLibrarySearch.PythonSitePackages(env);
        Assert.Equal(["/a/site", "/b/site"], sites.Take(2));
    }

    [Fact]
    public void Opening_a_device_never_throws_and_explains_a_missing_one()
    {
        if (CudaDevice.TryOpen(out var device, out var message))
        {
            using (device) Assert.StartsWith("opened", message, StringComparison.Ordinal);
            return;
        }
        Assert.StartsWith("no CUDA device: ", message, StringComparison.Ordinal);
        Assert.True(message.Length > "no CUDA device: ".Length + 10, message);
        Assert.False(CudaBackendFactory.TryCuda(out _, out var again));
        Assert.StartsWith("no CUDA device: ", again, StringComparison.Ordinal);
    }
}

internal static class CudaBackendFactory
{
    public static bool TryCuda(out Backends.CudaBackend? backend, out string message) => Backends.CudaBackend.TryCreate(out backend, out message);
}
