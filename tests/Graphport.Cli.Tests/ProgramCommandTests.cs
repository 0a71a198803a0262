using System.Text.Json;

namespace Graphport.Cli.Tests;

/// <summary>graphport export / decompose / invoke / programs, each run a new embedded cluster on the same home.</summary>
public sealed class ProgramCommandTests : IDisposable
{
    private readonly TempHome home = new();

    public void Dispose() => home.Dispose();

    private CliRun Run(params string[] args) => CliRun.With(home.Environment, args);

    [Fact]
    public void Programs_exported_in_one_run_are_decomposed_invoked_listed_and_shown_in_later_runs()
    {
        var export = Run("export", "zoo:mlp");
        var decompose = Run("decompose", "mlp");
        var invoke = Run("invoke", "mlp", "--random", "--batch", "3", "--json");
        var list = Run("programs", "list");
        var show = Run("programs", "show", "mlp@2", "--graph");

        Assert.Equal(0, export.ExitCode);
        Assert.StartsWith("Exported zoo:mlp as mlp@1 in ", export.Out);
        Assert.Contains("input x: float32[s0, 784]", export.Out);
        Assert.Equal(0, decompose.ExitCode);
        Assert.StartsWith("Decomposed mlp@1 with core into mlp@2", decompose.Out);
        Assert.Equal(0, invoke.ExitCode);
        using (var json = JsonDocument.Parse(invoke.Out))
        {
            Assert.Equal("mlp@2", json.RootElement.GetProperty("program").GetString());
            var output = Assert.Single(json.RootElement.GetProperty("outputs").EnumerateArray().ToList());
            Assert.Equal([3, 10], output.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
            Assert.Equal(30, output.GetProperty("data").GetArrayLength());
        }
        Assert.Equal(0, list.ExitCode);
        Assert.Contains(list.Out.Split('\n'), l => l.StartsWith("mlp ", StringComparison.Ordinal) && l.Contains("v2 decomposed", StringComparison.Ordinal));
        Assert.Equal(0, show.ExitCode);
        Assert.Contains("mlp@1  exported", show.Out);
        Assert.Contains("ranges: {s0: [2, 1024]}", show.Out);
        Assert.Contains("torch.ops.aten.permute.default", show.Out);
    }

    [Fact]
    public void Invoke_with_inputs_from_a_file_checks_them_against_the_program()
    {
        Assert.Equal(0, Run("export", "zoo:mlp").ExitCode);
        string file = Path.Combine(home.Path, "inputs.json");
        File.WriteAllText(file, "[{\"dtype\": \"float32\", \"shape\": [1, 3], \"data\": [1, 2, 3]}]");

        var run = Run("invoke", "mlp", "--inputs", file);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error (InvalidInput): Expected input at", run.Error);
    }

    [Fact]
    public void Invoke_reads_inputs_by_name_as_nested_lists_in_the_programs_dtypes()
    {
        Assert.Equal(0, Run("export", "zoo:mlp").ExitCode);
        var random = new Random(11);
        var rows = Enumerable.Range(0, 3).Select(_ => Enumerable.Range(0, 784).Select(_ => Math.Round(random.NextDouble() * 2 - 1, 3)).ToArray()).ToArray();
        string file = Path.Combine(home.Path, "by-name.json");
        File.WriteAllText(file, JsonSerializer.Serialize(new { x = rows }));

        var run = Run("invoke", "mlp", "--inputs", file, "--json");

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        var output = Assert.Single(json.RootElement.GetProperty("outputs").EnumerateArray().ToList());
        Assert.Equal([3, 10], output.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        // The same values in the array form give the same outputs.
        string flat = Path.Combine(home.Path, "flat.json");
        File.WriteAllText(flat, JsonSerializer.Serialize(new[] { new { dtype = "float32", shape = new[] { 3, 784 }, data = rows.SelectMany(r => r).ToArray() } }));
        using var again = JsonDocument.Parse(Run("invoke", "mlp", "--inputs", flat, "--json").Out);
        Assert.Equal(output.GetProperty("data").GetRawText(), again.RootElement.GetProperty("outputs")[0].GetProperty("data").GetRawText());
    }

    [Theory]
    [InlineData("{\"y\": [[1, 2]]}", "the program has no input named 'y'; its inputs are x: float32[s0, 784].")]
    [InlineData("{}", "gives no value for input 'x'; the program's inputs are x: float32[s0, 784].")]
    [InlineData("{\"x\": [[1, 2], [3]]}", "input 'x' is ragged: its lists at one depth have shapes [2] and [1]")]
    [InlineData("{\"x\": [[1, \"a\"]]}", "input 'x' holds \"a\"; expected numbers (or true/false) in nested lists.")]
    [InlineData("7", "holds a number; expected an object keyed by input name")]
    public void Invoke_names_what_is_wrong_with_an_inputs_file(string content, string expected)
    {
        Assert.Equal(0, Run("export", "zoo:mlp").ExitCode);
        string file = Path.Combine(home.Path, "wrong.json");
        File.WriteAllText(file, content);

        var run = Run("invoke", "mlp", "--inputs", file);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.Error);
    }

    [Fact]
    public void Unknown_programs_fail_with_1_and_a_message_that_lists_the_programs()
    {
        Assert.Equal(0, Run("export", "zoo:mlp").ExitCode);

        var run = Run("programs", "show", "nothing");
        var json = Run("invoke", "nothing@2", "--random", "--json");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("error (NotFound): No program named 'nothing'. Programs: mlp.\n", run.Error);
        Assert.Equal(1, json.ExitCode);
        using var error = JsonDocument.Parse(json.Out);
        Assert.Equal("NotFound", error.RootElement.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("invoke mlp", "Give either --inputs FILE.json or --random.")]
    [InlineData("invoke mlp@x --random", "Invalid program reference 'mlp@x'")]
    [InlineData("export vgg", "Unknown source 'vgg': use zoo:NAME or module:NAME.")]
    [InlineData("export module:thing", "needs --inputs FILE.json")]
    [InlineData("decompose mlp --table fast", "Unknown decomposition table 'fast'")]
    [InlineData("programs show", "Give exactly one program")]
    [InlineData("silo --storage azure", "--storage azure needs --cluster CONN")]
    [InlineData("silo --silo-port 70000", "--silo-port must be a port from 1 to 65535, got '70000'.")]
    public void Malformed_command_lines_exit_with_2_and_say_what_is_wrong(string commandLine, string expected)
    {
        var run = Run(commandLine.Split(' '));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.Error);
        Assert.False(Directory.Exists(Path.Combine(home.Path, "state")));
    }
}
