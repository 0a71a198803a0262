using System.Text.Json;

namespace Graphport.Cli.Tests;

/// <summary>graphport programs save / programs upload: programs out of and into the cluster as .pt2 files.</summary>
public sealed class ProgramArchiveCommandTests : IDisposable
{
    private readonly TempHome home = new();

    public void Dispose() => home.Dispose();

    private CliRun Run(params string[] args) => CliRun.With(home.Environment, args);

    private static string TorchFixture(string name) =>
        Path.Combine(RepositoryLocator.Find(Environment.CurrentDirectory) ?? throw new InvalidOperationException("No checkout found above the test."), "tests", "fixtures", "pt2", "torch", name);

    /// <summary>The outputs `invoke --json` printed, as tensors.</summary>
    private static Tensor[] InvokedOutputs(CliRun invoke)
    {
        Assert.True(invoke.ExitCode == 0, invoke.Out + invoke.Error);
        using var json = JsonDocument.Parse(invoke.Out);
        return json.RootElement.GetProperty("outputs").EnumerateArray().Select(o =>
        {
            long[] shape = o.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            double[] data = o.GetProperty("data").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            return Torch.Tensor(data, DType.Float64).Reshape(shape);
        }).ToArray();
    }

    private string WriteInputs(Tensor input)
    {
        string file = Path.Combine(home.Path, $"inputs-{Guid.NewGuid():N}.json");
        Directory.CreateDirectory(home.Path);
        File.WriteAllText(file, JsonSerializer.Serialize(new[]
        {
            new { dtype = "float32", shape = input.Shape.Select(s => (long)s).ToArray(), data = input.To(DType.Float64).ToArray<double>() },
        }));
        return file;
    }

    private static double MaxDifference(Tensor a, Tensor b) => (a.To(DType.Float64) - b.To(DType.Float64)).Abs().Max().Item();

    [Fact]
    public void A_program_saved_with_programs_save_loads_in_the_engine_and_gives_the_outputs_the_cluster_gives()
    {
        Assert.Equal(0, Run("export", "zoo:mlp").ExitCode);
        string file = Path.Combine(home.Path, "saved", "mlp.pt2");

        var save = Run("programs", "save", "mlp", "--out", file);

        Assert.True(save.ExitCode == 0, save.Out + save.Error);
        Assert.StartsWith($"Saved mlp@1 to {file} (", save.Out);
        var loaded = ExportedProgram.Load(file);
        foreach (int batch in new[] { 2, 5 })
        {
            var input = Torch.Randn(batch, 784);
            var served = Assert.Single(InvokedOutputs(Run("invoke", "mlp", "--inputs", WriteInputs(input), "--json")));
            var local = (Tensor)loaded.Module().Call(input);
            Assert.Equal([batch, 10L], served.Shape.Select(s => (long)s));
            Assert.True(MaxDifference(served, local) < 1e-5, $"max difference {MaxDifference(served, local)}");
        }
    }

    [Fact]
    public void An_archive_torch_export_save_wrote_is_uploaded_listed_with_its_file_and_invoked_with_torchs_numbers()
    {
        string archive = TorchFixture("linear_relu.pt2");
        using var expected = JsonDocument.Parse(File.ReadAllText(TorchFixture("linear_relu.expected.json")));
        var firstCase = expected.RootElement.GetProperty("cases")[0];
        string inputs = Path.Combine(home.Path, "torch-inputs.json");
        Directory.CreateDirectory(home.Path);
        File.WriteAllText(inputs, firstCase.GetProperty("inputs").GetRawText());

        var upload = Run("programs", "upload", archive, "--name", "torch-linear");
        var list = Run("programs", "list");
        var invoke = Run("invoke", "torch-linear", "--inputs", inputs, "--json");

        Assert.True(upload.ExitCode == 0, upload.Out + upload.Error);
        Assert.StartsWith("Uploaded linear_relu.pt2 as torch-linear@1\n", upload.Out);
        Assert.Contains("torch-linear@1 (uploaded, pt2:linear_relu.pt2)", upload.Out);
        Assert.Contains(list.Out.Split('\n'), l => l.StartsWith("torch-linear ", StringComparison.Ordinal) && l.EndsWith("pt2:linear_relu.pt2", StringComparison.Ordinal));
        var output = Assert.Single(InvokedOutputs(invoke));
        var torchOutput = firstCase.GetProperty("outputs")[0];
        Assert.Equal(torchOutput.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()), output.Shape.Select(s => (long)s));
        var want = torchOutput.GetProperty("data").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var got = output.ToArray<double>();
        Assert.All(want.Zip(got), p => Assert.True(Math.Abs(p.First - p.Second) < 1e-6, $"torch {p.First}, cluster {p.Second}"));
    }

    [Fact]
    public void Without_a_name_the_upload_is_named_after_its_file()
    {
        string file = Path.Combine(home.Path, "My Model (v2).pt2");
        Directory.CreateDirectory(home.Path);
        File.Copy(TorchFixture("linear_relu.pt2"), file);

        var upload = Run("programs", "upload", file, "--json");

        Assert.True(upload.ExitCode == 0, upload.Out + upload.Error);
        using var json = JsonDocument.Parse(upload.Out);
        Assert.Equal("My-Model-v2@1", json.RootElement.GetProperty("program").GetString());
    }

    [Fact]
    public void Saving_an_unknown_program_or_version_fails_with_1_names_what_exists_and_writes_nothing()
    {
        Assert.Equal(0, Run("export", "zoo:mlp").ExitCode);
        string file = Path.Combine(home.Path, "never.pt2");

        var program = Run("programs", "save", "resnet", "--out", file);
        var version = Run("programs", "save", "mlp@3", "--out", file);

        Assert.Equal(1, program.ExitCode);
        Assert.Equal("error (NotFound): No program named 'resnet'. Programs: mlp.\n", program.Error);
        Assert.Equal(1, version.ExitCode);
        Assert.Equal("error (NotFound): Program 'mlp' has versions 1 to 1; there is no version 3.\n", version.Error);
        Assert.False(File.Exists(file));
    }

    [Fact]
    public void Uploading_a_missing_file_or_one_that_is_no_pt2_is_a_usage_error_before_any_cluster_starts()
    {
        string notes = Path.Combine(Path.GetTempPath(), $"graphport-notes-{Guid.NewGuid():N}.pt2");
        File.WriteAllText(notes, "not a program");
        try
        {
            var missing = Run("programs", "upload", "/nowhere/model.pt2");
            var notArchive = Run("programs", "upload", notes);

            Assert.Equal(2, missing.ExitCode);
            Assert.StartsWith("No file '/nowhere/model.pt2'. Name a .pt2 archive written by torch.export.save or ExportedProgram.Save.\n", missing.Error);
            Assert.Equal(2, notArchive.ExitCode);
            Assert.StartsWith($"{notes} is not a readable .pt2 archive (a zip file is expected", notArchive.Error);
            Assert.DoesNotContain("   at ", notArchive.Error);
            Assert.False(Directory.Exists(home.Path));
        }
        finally
        {
            File.Delete(notes);
        }
    }

    [Theory]
    [InlineData("programs save mlp", "Give the file to write with --out FILE.pt2.")]
    [InlineData("programs save mlp@0 --out x.pt2", "Invalid program reference 'mlp@0'")]
    [InlineData("programs upload", "Give exactly one .pt2 file")]
    [InlineData("programs upload model.onnx", "'model.onnx' is an ONNX model: store it with graphport import onnx model.onnx.")]
    [InlineData("programs upload model.pt2 --name -bad", "Invalid program name '-bad'")]
    [InlineData("export model.pt2", "'model.pt2' is a .pt2 archive, a program exported already: store it with graphport programs upload model.pt2 [--name NAME].")]
    public void Malformed_archive_command_lines_exit_with_2_and_say_what_to_do(string commandLine, string expected)
    {
        var run = Run(commandLine.Split(' '));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.Error);
        Assert.False(Directory.Exists(home.Path));
    }

    [Fact]
    public void Saving_onto_a_folder_is_a_usage_error_that_suggests_a_file_in_it()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"graphport-out-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            var run = Run("programs", "save", "mlp", "--out", folder);

            Assert.Equal(2, run.ExitCode);
            Assert.Contains($"--out {folder} is a folder; name the file to write, e.g. {Path.Combine(folder, "mlp.pt2")}.", run.Error);
        }
        finally
        {
            Directory.Delete(folder);
        }
    }
}
