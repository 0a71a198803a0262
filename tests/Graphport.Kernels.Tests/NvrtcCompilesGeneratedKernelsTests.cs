using Graphport.Kernels.Codegen;
using Graphport.Kernels.Compilation;
using Graphport.Kernels.Conformance;
using Graphport.Kernels.Interop;
using Graphport.Zoo;

namespace Graphport.Kernels.Tests;

/// <summary>
/// Every module the CUDA backend would generate, for every zoo model at batch 1 and 32 and every op case, compiled
/// to sm_90 CUBIN by a real NVRTC (a compiler needs no GPU). .ci/run installs Debian's libnvrtc so these run on
/// every CI machine; the device run then finds no compile error that this machine could have found.
/// </summary>
public class NvrtcCompilesGeneratedKernelsTests
{
    public static TheoryData<string> Models => new(ModelZoo.All.Select(m => m.Name));

    public static TheoryData<string> Cases => new(OpCases.All.Select(c => c.Name));

    [SkippableTheory]
    [MemberData(nameof(Models))]
    public void Every_zoo_models_kernels_compile_for_sm_90(string name)
    {
        SkipWithoutNvrtc();
        var model = ModelZoo.Get(name);
        Torch.ManualSeed(21);
        var program = model.Export(2).Program;
        foreach (var batch in new long[] { 1, 32 })
        {
            var shapes = model.ExampleInputs(batch).Cast<Tensor>().Select(t => t.Shape.ToLongs()).ToList();
            CompileAll(CudaCompiler.Plan(program, shapes), $"{name}_b{batch}");
        }
    }

    [SkippableTheory]
    [InlineData(1L)]
    [InlineData(32L)]
    public void Direct_small_channel_convolutions_compile_for_sm_90(long batch)
    {
        SkipWithoutNvrtc();
        var model = ModelZoo.Get("unet");
        Torch.ManualSeed(23);
        var shapes = model.ExampleInputs(batch).Cast<Tensor>().Select(t => t.Shape.ToLongs()).ToList();
        var plan = CudaCompiler.Plan(model.Export(2).Program, shapes, Planning.PlannerOptions.Default with { DirectSmallChannelConvolutions = true });
        Assert.NotEmpty(plan.Steps.OfType<Planning.DirectConvKernel>());
        CompileAll(plan, $"unet_direct_b{batch}");
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void Every_op_cases_kernels_compile_for_sm_90(string name)
    {
        SkipWithoutNvrtc();
        var op = OpCases.Get(name);
        Torch.ManualSeed(22);
        var inputs = op.Inputs();
        CompileAll(CudaCompiler.Plan(op.Export(inputs), inputs.Select(t => t.Shape.ToLongs()).ToList()), name);
    }

    private static void CompileAll(Planning.FusedProgram plan, string name)
    {
        var kernels = plan.GeneratedKernels.ToList();
        if (kernels.Count == 0) return;
        var folder = Path.Combine(Path.GetTempPath(), "graphport-nvrtc-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            var compiler = new NvrtcCompiler(new KernelCache(new LocalFolderBlobStore(folder)));
            var cubin = compiler.Compile(CudaRenderer.RenderModule(kernels), $"graphport_{name}.cu", "sm_90", CudaSources.Headers);
            // A CUBIN is an ELF file.
            Assert.True(cubin.Length > 64 && cubin[0] == 0x7f && cubin[1] == (byte)'E' && cubin[2] == (byte)'L' && cubin[3] == (byte)'F', $"{name}: NVRTC returned {cubin.Length} bytes that are not an ELF CUBIN");
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    private static void SkipWithoutNvrtc()
    {
        CudaLibraryResolver.EnsureRegistered();
        Skip.IfNot(CudaLibraryResolver.TryLoad(CudaLibrary.Nvrtc, out _, out var message), $"NVRTC is not installed here ({message}); .ci/run installs it");
    }
}
