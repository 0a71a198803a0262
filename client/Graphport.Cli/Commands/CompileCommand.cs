using Graphport.Kernels.Backends;
using Graphport.Kernels;
using Graphport.Kernels.Compilation;
using Graphport.Kernels.Conformance;
using Graphport.Kernels.HostEmulation;
using Graphport.Kernels.Interop;
using Graphport.Kernels.Planning;
using Graphport.Zoo;

namespace Graphport.Cli.Commands;

/// <summary>
/// graphport compile --emit cuda|plan|resources [--check]: what the CUDA backend generates for a zoo model or a
/// saved .pt2 program (fusion plan, CUDA C, or each kernel's registers and spills as NVRTC compiles it), and with
/// --check that the generated CUDA C, compiled for the CPU, computes what the interpreter does on random inputs.
/// Needs no GPU: the same planner, renderer and compiler run for the device.
/// </summary>
public sealed class CompileCommand : ICommand
{
    public IReadOnlyList<string> Path { get; } = ["compile"];

    public string Arguments => LocalProgramSource.Syntax + " [--emit cuda|plan|resources] [--arch sm_XY] [--batch N] [--check]";

    public string Summary => "Print the fused CUDA C, kernel plan or per-kernel registers the GPU backend generates for a program; --check runs that CUDA C on the CPU against the interpreter.";

    public IReadOnlySet<string> Flags { get; } = new HashSet<string> { "--check" };

    public IReadOnlySet<string> Options { get; } = new HashSet<string> { "--emit", "--batch", "--arch" };

    public int Run(CommandArguments arguments, CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(context);
        if (arguments.Positionals.Count != 1)
            throw new UsageException("Name one program: zoo:NAME (a zoo model) or the path of a .pt2 file, e.g. graphport compile zoo:mlp --emit cuda.");
        string emit = arguments.Option("--emit") ?? "cuda";
        if (emit is not ("cuda" or "plan" or "resources"))
            throw new UsageException($"Unknown --emit '{emit}': use cuda (the generated CUDA C), plan (the kernel plan) or resources (each kernel's registers and spills, compiled by NVRTC).");
        string architecture = arguments.Option("--arch") ?? "sm_90";
        if (!System.Text.RegularExpressions.Regex.IsMatch(architecture, @"^sm_\d{2,3}a?$"))
            throw new UsageException($"--arch names a GPU architecture as NVRTC does, such as sm_90 (H100) or sm_80 (A100), not '{architecture}'.");
        long? batch = null;
        if (arguments.Option("--batch") is { } text)
        {
            if (!long.TryParse(text, out long b) || b < 1)
                throw new UsageException($"--batch must be a positive whole number, not '{text}'.");
            batch = b;
        }

        string source = arguments.Positionals[0];
        if (LocalProgramSource.Load(source, context) is not var (program, model)) return ExitCodes.Failure;
        IReadOnlyList<long[]>? shapes = null;
        if (batch is { } n)
        {
            if (model is null)
                throw new UsageException("--batch applies to zoo models only; a .pt2 program is compiled at the shapes it was exported with.");
            shapes = model.ExampleInputs(n).OfType<Tensor>().Select(t => t.Shape.Select(s => (long)s).ToArray()).ToArray();
        }

        FusedProgram plan;
        try
        {
            plan = CudaCompiler.Plan(program, shapes);
        }
        catch (NotSupportedException e)
        {
            // What the CUDA backend does with such a program (a size read out of the data, GraniteMoE's expert split):
            // runs it whole on the CPU backend.
            context.Error.WriteLine($"graphport compile: no CUDA plan for {source}: {e.Message} A GPU silo runs this program on its CPU backend instead.");
            return ExitCodes.Failure;
        }
        switch (emit)
        {
            case "cuda": context.Out.WriteLine(CudaCompiler.EmitSource(program, shapes)); break;
            case "plan": context.Out.WriteLine(plan.Describe()); break;
            default:
                if (!PrintResources(plan, architecture, context)) return ExitCodes.Failure;
                break;
        }
        return arguments.Has("--check") && !Check(plan, context) ? ExitCodes.Failure : ExitCodes.Success;
    }

    private static bool PrintResources(FusedProgram plan, string architecture, CommandContext context)
    {
        CudaLibraryResolver.EnsureRegistered();
        if (!CudaLibraryResolver.TryLoad(CudaLibrary.Nvrtc, out _, out var missing))
        {
            context.Error.WriteLine($"--emit resources compiles with NVRTC, which is not installed here: {missing}. Install it (no GPU needed) with: sudo bash tools/cuda/install-nvrtc.sh");
            return false;
        }
        var kernels = plan.GeneratedKernels.ToList();
        if (kernels.Count == 0)
        {
            context.Out.WriteLine("No generated kernels: every step is a cuBLASLt product or a host step.");
            return true;
        }
        var cubin = CudaCompiler.Cubin(plan, new NvrtcCompiler(new KernelCache(new LocalFolderBlobStore())), architecture);
        var resources = CubinResources.Read(cubin).ToDictionary(r => r.Kernel, StringComparer.Ordinal);
        int width = Math.Max(kernels.Max(k => k.Name.Length), "kernel".Length);
        context.Out.WriteLine($"{"kernel".PadRight(width)}  registers  spill bytes  step");
        foreach (var kernel in kernels)
        {
            var r = resources.GetValueOrDefault(kernel.Name);
            context.Out.WriteLine($"{kernel.Name.PadRight(width)}  {(r?.Registers.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"),9}  {(r?.FrameBytes.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"),11}  {kernel.Comment.Split(';')[0]}");
        }
        context.Out.WriteLine($"{kernels.Count} kernels compiled for {architecture} ({cubin.Length / 1024} KiB CUBIN); spill bytes: the stack frame each thread keeps in local memory.");
        return true;
    }

    // Random inputs at the plan's shapes, as `graphport invoke --random` makes them.
    private static bool Check(FusedProgram plan, CommandContext context)
    {
        Torch.ManualSeed(20261126);
        var core = plan.Program;
        var inputs = ShapeBinding.UserPlaceholders(core)
            .Select(node => node.Value is TensorMeta meta
                ? InvokeCommand.RandomTensor(meta.DType, plan.Shapes.Evaluate(meta.Shape))
                : throw new UsageException($"--check makes tensors for inputs; input {node.Name} is not a tensor."))
            .ToList();
        object?[] actual;
        try
        {
            // The user outputs, as the interpreter's backend gives them (not what the program writes into its buffers).
            actual = ProgramPreparation.UserOutputs(core, HostCudaRunner.Run(plan, inputs));
        }
        catch (Exception e) when (e is HostCudaLaunchException or InvalidOperationException)
        {
            context.Error.WriteLine($"check failed: {e.Message}");
            return false;
        }
        // The graph's flat outputs, as the plan gives them (Module() would nest them as the program's output tree: a tuple).
        using var reference = new CpuBackend().Compile(core);
        var expected = reference.Run(inputs).OfType<Tensor>().ToArray();
        var outputs = actual.OfType<Tensor>().ToArray();
        const double tolerance = 1e-4;
        var comparison = OutputComparison.Of(expected, outputs);
        bool ok = comparison.Passes(tolerance);
        (ok ? context.Out : context.Error).WriteLine(
            $"check: the generated CUDA C, compiled for the CPU ({HostCudaModule.FindCompiler()}) and run thread by thread, {(ok ? "matches" : "does NOT match")} the interpreter on random inputs: " +
            $"{outputs.Length} output(s), largest difference {comparison.Relative:0.###e+0} of the output's scale (tolerance {tolerance:0e+0})" +
            (comparison.Problem is { } problem ? $"; {problem}." : "."));
        return ok;
    }
}
