using Graphport.Kernels;
using Graphport.Zoo;

namespace Graphport.Cli.Commands;

/// <summary>
/// graphport compile --emit cuda|plan: what the CUDA backend generates for a zoo model or a saved .pt2 program
/// (fusion plan and CUDA C). Needs no GPU: the same planner and renderer run on the device.
/// </summary>
public sealed class CompileCommand : ICommand
{
    public IReadOnlyList<string> Path { get; } = ["compile"];

    public string Arguments => "(zoo:NAME | FILE.pt2) [--emit cuda|plan] [--batch N]";

    public string Summary => "Print the fused CUDA C (or the kernel plan) the GPU backend generates for a program, at its example or given batch.";

    public IReadOnlySet<string> Flags { get; } = new HashSet<string>();

    public IReadOnlySet<string> Options { get; } = new HashSet<string> { "--emit", "--batch" };

    public int Run(CommandArguments arguments, CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(context);
        if (arguments.Positionals.Count != 1)
            throw new UsageException("Name one program: zoo:NAME (a zoo model) or the path of a .pt2 file, e.g. graphport compile zoo:mlp --emit cuda.");
        string emit = arguments.Option("--emit") ?? "cuda";
        if (emit is not ("cuda" or "plan"))
            throw new UsageException($"Unknown --emit '{emit}': use cuda (the generated CUDA C) or plan (the kernel plan).");
        long? batch = null;
        if (arguments.Option("--batch") is { } text)
        {
            if (!long.TryParse(text, out long b) || b < 1)
                throw new UsageException($"--batch must be a positive whole number, not '{text}'.");
            batch = b;
        }

        string source = arguments.Positionals[0];
        ExportedProgram program;
        IReadOnlyList<long[]>? shapes = null;
        if (source.StartsWith("zoo:", StringComparison.Ordinal))
        {
            ZooModel model;
            try
            {
                model = ModelZoo.Get(source["zoo:".Length..]);
            }
            catch (KeyNotFoundException e)
            {
                throw new UsageException(e.Message);
            }
            program = model.Export().Program;
            if (batch is { } n) shapes = model.ExampleInputs(n).OfType<Tensor>().Select(t => t.Shape.Select(s => (long)s).ToArray()).ToArray();
        }
        else
        {
            if (!File.Exists(source))
                throw new UsageException($"No file '{source}'. Name a .pt2 archive written by ExportedProgram.Save, or zoo:NAME.");
            program = ExportedProgram.Load(source);
            if (batch is not null)
                throw new UsageException("--batch applies to zoo models only; a .pt2 program is compiled at the shapes it was exported with.");
        }

        context.Out.WriteLine(emit == "cuda"
            ? CudaCompiler.EmitSource(program, shapes)
            : CudaCompiler.Plan(program, shapes).Describe());
        return ExitCodes.Success;
    }
}
