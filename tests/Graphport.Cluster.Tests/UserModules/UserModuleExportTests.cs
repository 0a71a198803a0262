using Graphport.Client;
using Graphport.Grains;
using Graphport.Tests;

namespace Graphport.Cluster.Tests.UserModules;

/// <summary>
/// A silo that loads the user's assembly (EmbeddedClusterOptions.ModuleAssemblies, what --modules sets) exports its
/// [GraphportModule] classes as "module:NAME" and runs programs that use its [GraphportOperators] library's operators.
/// </summary>
public sealed class UserModuleExportTests : IDisposable
{
    private readonly TempDirectory home = new("graphport-user-modules");

    public void Dispose() => home.Dispose();

    private Task<GraphportClient> StartAsync() => GraphportClient.StartEmbeddedAsync(new EmbeddedClusterOptions
    {
        DataDirectory = home.Path,
        ModuleAssemblies = [FixtureAssemblies.UserModules],
    });

    private static ExportInput[] Rows() => [new ExportInput("x", "float32", [2, 4], [new DimSpec(0, "batch", Max: 64)])];

    // relu(x * 3) + 1, row by row, with UserModules' scale (3, from its own dependency) and its custom operator.
    private static readonly Tensor Input = Torch.Tensor(new float[,] { { -1, 2, 0.5f, -3 }, { 1, 1, 1, 1 }, { 0, -2, 4, 0.25f } });
    private static readonly float[] Expected = [1, 7, 2.5f, 1, 4, 4, 4, 4, 1, 1, 13, 1.75f];

    [Fact]
    public async Task A_module_of_a_loaded_assembly_exports_by_name_and_runs_its_custom_operator()
    {
        await using var client = await StartAsync();

        var exported = await client.ExportAsync(ExportRequest.Module("scaled_relu", Rows()));
        var outputs = await client.InvokeAsync(exported.Program, [Input]);

        Assert.Equal(new ProgramRef("scaled_relu", 1), exported.Program);
        Assert.Equal("module:scaled_relu (strict)", exported.Info.Origin);
        Assert.Equal(Expected, Assert.Single(outputs).ToArray<float>());
        var archive = await client.DownloadAsync(exported.Program);
        var program = ExportedProgram.Load(new MemoryStream(archive.Bytes));
        Assert.Contains(program.Graph.Nodes, n => n.Op?.Name == "user_ops::relu_plus_one");
    }

    [Fact]
    public async Task An_uploaded_program_that_uses_the_assemblys_custom_operator_loads_and_runs()
    {
        await using var client = await StartAsync();
        var exported = await client.ExportAsync(ExportRequest.Module("scaled_relu", Rows(), "scaled-source"));
        var archive = await client.DownloadAsync(exported.Program);

        var uploaded = await client.UploadArchiveAsync("scaled-uploaded", archive.Bytes);
        var outputs = await client.InvokeAsync(uploaded.Program, [Input]);

        Assert.Equal(ProgramVersionKind.Uploaded, uploaded.Info.Kind);
        Assert.Equal(Expected, Assert.Single(outputs).ToArray<float>());
    }

    [Fact]
    public async Task A_module_whose_constructor_throws_fails_its_export_naming_the_module_and_the_cause()
    {
        await using var client = await StartAsync();

        var error = await Assert.ThrowsAsync<GraphportException>(() => client.ExportAsync(ExportRequest.Module("weights_from_file", Rows())));

        Assert.Equal(GraphportErrorKind.ExportFailed, error.Kind);
        Assert.StartsWith("Module 'weights_from_file' from UserModules.dll (UserModules.WeightsFromFile) could not be constructed: its constructor threw FileNotFoundException: ", error.Message);
        Assert.Contains("missing-weights.bin", error.Message);
    }

    [Fact]
    public async Task Exporting_a_module_no_assembly_defines_lists_the_loaded_ones()
    {
        await using var client = await StartAsync();

        var error = await Assert.ThrowsAsync<GraphportException>(() => client.ExportAsync(ExportRequest.Module("scaled_relu_v2", Rows())));

        Assert.Equal(GraphportErrorKind.NotFound, error.Kind);
        Assert.Equal("No module named 'scaled_relu_v2' is registered on the silos. Registered: scaled_relu, weights_from_file.", error.Message);
    }

    [Fact]
    public async Task A_name_registered_in_code_and_by_a_loaded_assembly_stops_the_silo_from_starting()
    {
        var options = new EmbeddedClusterOptions
        {
            DataDirectory = home.Path,
            ModuleAssemblies = [FixtureAssemblies.UserModules],
            ConfigureSilo = silo => silo.Services.AddGraphportModule("scaled_relu", () => new TestModules.TinyModule()),
        };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => GraphportClient.StartEmbeddedAsync(options));

        Assert.Equal("Module 'scaled_relu' is registered twice, by UserModules.dll (UserModules.ScaledRelu) and by code (AddGraphportModule); each registered module needs its own name.", error.Message);
    }
}
