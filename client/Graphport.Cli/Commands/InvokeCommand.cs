using System.Globalization;
using Graphport.Client;
using Graphport.Grains;

namespace Graphport.Cli.Commands;

/// <summary>graphport invoke PROGRAM: runs a version on its executor with inputs from a file or random ones of a batch size.</summary>
public sealed class InvokeCommand : ClusterCommand
{
    public override IReadOnlyList<string> Path { get; } = ["invoke"];

    public override string Arguments => "NAME[@VERSION] (--inputs FILE.json | --random [--batch N]) [--json]";

    public override string Summary =>
        "Run a program version on the cluster with inputs from a JSON file ({\"NAME\": nested lists, ...} or [{\"dtype\", \"shape\", \"data\"}, ...]) or random ones.";

    protected override IEnumerable<string> OwnFlags => ["--random"];

    protected override IEnumerable<string> OwnOptions => ["--inputs", "--batch"];

    protected override void Validate(CommandArguments arguments)
    {
        ProgramArgument(arguments);
        bool file = arguments.Option("--inputs") is not null;
        if (file == arguments.Has("--random")) throw new UsageException("Give either --inputs FILE.json or --random.");
        LongOption(arguments, "--batch", 2, 1, 4096);
        if (file) InputFiles.Tensors(arguments.Option("--inputs")!, null);
    }

    protected override async Task<int> RunAsync(GraphportClient client, CommandArguments arguments, CommandContext context)
    {
        var program = await client.ResolveAsync(ProgramArgument(arguments));
        var info = await client.GetProgramAsync(program.Name);
        var inputs = arguments.Option("--inputs") is { } file
            ? InputFiles.Tensors(file, info.Versions.Single(v => v.Version == program.Version).Inputs)
            : RandomInputs(info, program, LongOption(arguments, "--batch", 2, 1, 4096));
        var result = await client.InvokeDetailedAsync(program, inputs);
        var outputs = result.Outputs.Select(o => o.ToTensor()).ToList();
        if (arguments.Has("--json"))
        {
            context.Out.WriteLine(CliJson.Serialize(new
            {
                program = program.ToString(),
                result.ComputeMs,
                result.Backend,
                result.Device,
                result.Silo,
                outputs = outputs.Select(OutputFormat.Tensor).ToArray(),
            }));
            return ExitCodes.Success;
        }
        context.Out.WriteLine($"{program} on {result.Device} ({result.Backend}) in {result.ComputeMs.ToString("0.0", CultureInfo.InvariantCulture)} ms");
        for (int i = 0; i < outputs.Count; i++)
        {
            context.Out.WriteLine($"output {i}: {TensorData.WireName(outputs[i].DType)}[{string.Join(", ", outputs[i].Shape)}]");
            context.Out.WriteLine(outputs[i].ToString());
        }
        return ExitCodes.Success;
    }

    /// <summary>Random inputs from the version's input sizes: each symbol (a batch dimension) takes the batch size.</summary>
    private static Tensor[] RandomInputs(ProgramInfo info, ProgramRef program, long batch)
    {
        var version = info.Versions.Single(v => v.Version == program.Version);
        return version.Inputs.Select(input =>
        {
            var sizes = input.Sizes.Select(s => long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out long n) ? n
                : IsSymbol(s) ? batch
                : throw new GraphportException(GraphportErrorKind.InvalidRequest, $"Input {input.Name} has size {s}; --random fills plain symbols only. Use --inputs FILE.json.")).ToArray();
            var dtype = TensorData.ParseDType(input.DType);
            return RandomTensor(dtype, sizes);
        }).ToArray();
    }

    /// <summary>A random input: floats from a normal distribution, integers 0 or 1 (ids and masks stay valid).</summary>
    internal static Tensor RandomTensor(DType dtype, long[] sizes) =>
        dtype.IsFloatingPoint() ? Torch.Randn(sizes, dtype) : Torch.Randint(0, 2, sizes).To(dtype);

    private static bool IsSymbol(string size) => size.Length > 1 && size[0] == 's' && size.Skip(1).All(char.IsAsciiDigit);
}
