using System.Text.Json;
using Graphport.Tests;

namespace Graphport.Cli.Tests;

/// <summary>
/// --modules FILE.dll: graphport silo, and commands that run an embedded silo, load the user's assembly, so
/// `graphport export module:NAME` finds its modules and programs using its custom operators load and run.
/// </summary>
public sealed class UserModuleCommandTests : IDisposable
{
    private readonly TempHome home = new();

    public UserModuleCommandTests() => Directory.CreateDirectory(home.Path);

    public void Dispose() => home.Dispose();

    private CliRun Run(params string[] args) => CliRun.With(home.Environment, args);

    /// <summary>scaled_relu's Forward argument: rows of 4, any number of them.</summary>
    private string ExportInputs()
    {
        string file = Path.Combine(home.Path, "export-inputs.json");
        File.WriteAllText(file, """[{"name": "x", "dtype": "float32", "shape": [2, 4], "dims": [{"dim": 0, "name": "batch", "max": 64}]}]""");
        return file;
    }

    private string Tensors()
    {
        string file = Path.Combine(home.Path, "tensors.json");
        File.WriteAllText(file, """[{"dtype": "float32", "shape": [3, 4], "data": [-1, 2, 0.5, -3, 1, 1, 1, 1, 0, -2, 4, 0.25]}]""");
        return file;
    }

    // relu(x * 3) + 1: UserModules' scale and its custom operator user_ops::relu_plus_one.
    private static readonly double[] Expected = [1, 7, 2.5, 1, 4, 4, 4, 4, 1, 1, 13, 1.75];

    private static double[] OutputData(CliRun invoke)
    {
        using var json = JsonDocument.Parse(invoke.Out);
        var output = Assert.Single(json.RootElement.GetProperty("outputs").EnumerateArray().ToList());
        return [.. output.GetProperty("data").EnumerateArray().Select(e => e.GetDouble())];
    }

    [Fact]
    public async Task A_standing_silo_with_modules_exports_them_by_name_and_serves_uploaded_programs_that_use_their_operators()
    {
        await using var silo = await StandingSilo.StartAsync(home.Environment, "--name", "modules-silo", "--modules", FixtureAssemblies.UserModules);
        Assert.True(silo.ExitCode is null, silo.Output);
        string cluster = $"127.0.0.1:{silo.GatewayPort}";
        string archive = Path.Combine(home.Path, "scaled.pt2");

        var export = Run("export", "module:scaled_relu", "--inputs", ExportInputs(), "--cluster", cluster);
        var invoke = Run("invoke", "scaled_relu", "--inputs", Tensors(), "--json", "--cluster", cluster);
        var save = Run("programs", "save", "scaled_relu", "--out", archive, "--cluster", cluster);
        var upload = Run("programs", "upload", archive, "--name", "scaled-copy", "--cluster", cluster);
        var invokeUploaded = Run("invoke", "scaled-copy", "--inputs", Tensors(), "--json", "--cluster", cluster);

        Assert.Contains("Loaded UserModules.dll: modules scaled_relu, weights_from_file; operator user_ops::relu_plus_one.", silo.Output);
        Assert.True(export.ExitCode == 0, export.Error);
        Assert.StartsWith("Exported module:scaled_relu as scaled_relu@1 in ", export.Out);
        Assert.True(invoke.ExitCode == 0, invoke.Error);
        Assert.Equal(Expected, OutputData(invoke));
        Assert.True(save.ExitCode == 0, save.Error);
        Assert.True(upload.ExitCode == 0, upload.Error);
        Assert.StartsWith("Uploaded scaled.pt2 as scaled-copy@1", upload.Out);
        Assert.True(invokeUploaded.ExitCode == 0, invokeUploaded.Error);
        Assert.Equal(Expected, OutputData(invokeUploaded));
    }

    [Fact]
    public void Commands_with_modules_export_and_invoke_them_on_their_embedded_silo()
    {
        var export = Run("export", "module:scaled_relu", "--name", "scaled", "--inputs", ExportInputs(), "--modules", FixtureAssemblies.UserModules);
        var invoke = Run("invoke", "scaled", "--inputs", Tensors(), "--json", "--modules", FixtureAssemblies.UserModules);

        Assert.True(export.ExitCode == 0, export.Error);
        Assert.StartsWith("Exported module:scaled_relu as scaled@1 in ", export.Out);
        Assert.True(invoke.ExitCode == 0, invoke.Error);
        Assert.Equal(Expected, OutputData(invoke));
    }

    [Fact]
    public void Without_modules_exporting_a_module_says_how_to_load_one()
    {
        var export = Run("export", "module:scaled_relu", "--inputs", ExportInputs());

        Assert.Equal(1, export.ExitCode);
        Assert.Equal("error (NotFound): No module named 'scaled_relu' is registered on the silos. None is registered: silos load modules from your assemblies "
            + "(graphport silo --modules FILE.dll, Graphport:Modules) or register them in code with AddGraphportModule.\n", export.Error);
    }

    [Fact]
    public void A_module_assembly_that_cannot_load_is_a_usage_error_before_any_silo_starts()
    {
        string missing = Path.Combine(home.Path, "Missing.dll");

        var export = Run("export", "module:scaled_relu", "--inputs", ExportInputs(), "--modules", missing);
        var silo = Run("silo", "--modules", FixtureAssemblies.BrokenModules);

        Assert.Equal(2, export.ExitCode);
        Assert.StartsWith($"--modules: No file {missing}: give the path of the .dll your module project builds", export.Error);
        Assert.Equal(2, silo.ExitCode);
        Assert.StartsWith("--modules: BrokenModules.dll: BrokenModules.NeedsWidth cannot be constructed: it has no public parameterless constructor", silo.Error);
        Assert.Contains("\nBrokenModules.dll: module 'twice' is marked on both BrokenModules.TwiceFirst and BrokenModules.TwiceSecond; give each its own name.\n", silo.Error);
        Assert.False(Directory.Exists(Path.Combine(home.Path, "state")), "no silo should have started");
    }

    [Fact]
    public void Modules_with_a_named_cluster_are_refused_since_its_silos_load_their_own()
    {
        var run = Run("programs", "list", "--cluster", "127.0.0.1:30000", "--modules", FixtureAssemblies.UserModules);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("--modules loads assemblies into this command's embedded silo, but --cluster names a running cluster: its silos load theirs (graphport silo --modules FILE.dll, or Graphport:Modules for the silo process).\n", run.Error);
    }
}
