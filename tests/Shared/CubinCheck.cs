using Graphport.Kernels;
using Graphport.Kernels.Compilation;
using Graphport.Kernels.Interop;
using Graphport.Kernels.Planning;

namespace Graphport.Tests.Shared;

/// <summary>
/// NVRTC in tests, without a GPU: whether it is installed here (.ci/run installs it with tools/cuda/install-nvrtc.sh),
/// and a plan's kernels compiled for sm_90 through the backend's own path (CudaCompiler.Cubin).
/// </summary>
internal static class CubinCheck
{
    public static bool NvrtcInstalled(out string whyNot)
    {
        CudaLibraryResolver.EnsureRegistered();
        return CudaLibraryResolver.TryLoad(CudaLibrary.Nvrtc, out _, out whyNot);
    }

    /// <summary>Compiles the plan's generated kernels (none: nothing to do) and checks that NVRTC returned a CUBIN.</summary>
    public static void AssertCompiles(FusedProgram plan, string name)
    {
        if (!plan.GeneratedKernels.Any()) return;
        var folder = Path.Combine(Path.GetTempPath(), "graphport-nvrtc-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            var cubin = CudaCompiler.Cubin(plan, new NvrtcCompiler(new KernelCache(new LocalFolderBlobStore(folder))), "sm_90");
            // A CUBIN is an ELF file.
            Assert.True(cubin.Length > 64 && cubin[0] == 0x7f && cubin[1] == (byte)'E' && cubin[2] == (byte)'L' && cubin[3] == (byte)'F', $"{name}: NVRTC returned {cubin.Length} bytes that are not an ELF CUBIN");
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}
