using Graphport.Kernels;
using Graphport.Kernels.Compilation;
using Graphport.Kernels.Interop;
using Graphport.Kernels.Planning;

namespace Graphport.Tests.Shared;

/// <summary>
/// NVRTC in tests, without a GPU: whether it is installed here (.ci/run installs it with tools/cuda/install-nvrtc.sh),
/// and a plan's kernels compiled for sm_90 through the backend's own path (CudaCompiler.Cubin), each present and none
/// spilling registers (CubinResources).
/// </summary>
internal static partial class CubinCheck
{
    [System.Text.RegularExpressions.GeneratedRegex(@"\b(sin|cos|tan)f?\(")]
    private static partial System.Text.RegularExpressions.Regex TrigonometricCall();

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
            // Every kernel is in it, and none spills registers to local memory (a stack frame) beyond the register or
            // two ptxas gives up to keep 8 blocks of 256 threads per multiprocessor (a kernel needing just over 32
            // registers, as PP-OCR's four-way concatenated im2col: 8 bytes); a direct convolution, whose sums must
            // all stay in registers, spills nothing. Either would make a kernel slower on the device and fail nothing else.
            var resources = CubinResources.Read(cubin);
            Assert.Equal(plan.GeneratedKernels.Select(k => k.Name).Order(StringComparer.Ordinal), resources.Select(r => r.Kernel).Order(StringComparer.Ordinal));
            // A kernel that takes a sine or cosine keeps the precise argument reduction's few words (for large arguments)
            // on the stack: a 32-byte frame that is no spill.
            var direct = plan.Steps.OfType<DirectConvKernel>().Select(k => k.Name).ToHashSet(StringComparer.Ordinal);
            var trigonometric = plan.GeneratedKernels.Where(k => TrigonometricCall().IsMatch(Kernels.Codegen.CudaRenderer.Render(k))).Select(k => k.Name).ToHashSet(StringComparer.Ordinal);
            int Allowed(string kernel) => direct.Contains(kernel) ? 0 : trigonometric.Contains(kernel) ? 32 : 16;
            var spilling = resources.Where(r => r.FrameBytes > Allowed(r.Kernel)).Select(r => $"{r.Kernel} ({r.Registers} registers, {r.FrameBytes}-byte frame)").ToList();
            Assert.True(spilling.Count == 0, $"{name}: kernels that spill: {string.Join(", ", spilling)}");
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}
