using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using Graphport.Grains;
using Graphport.Zoo;

namespace Graphport.Cluster.Tests;

[Collection(SharedClusterCollection.Name)]
public sealed class ProgramUploadTests(SharedClusterFixture fixture)
{
    private IClusterClient Client => fixture.Cluster.Client;

    /// <summary>The zoo's mlp exported in this process and saved as .pt2: what a client uploads.</summary>
    private static readonly Lazy<byte[]> MlpArchive = new(() =>
    {
        var model = ModelZoo.Get("mlp");
        var program = Torch.Export(model.Create(), model.ExampleInputs(2), dynamicShapes: model.DynamicShapes());
        using var archive = new MemoryStream();
        program.Save(archive);
        return archive.ToArray();
    });

    [Fact]
    public async Task A_program_exported_in_the_client_process_is_stored_as_pt2_and_served_with_the_same_numbers()
    {
        var model = ModelZoo.Get("mlp");
        var local = Torch.Export(model.Create(), model.ExampleInputs(2), dynamicShapes: model.DynamicShapes());
        using var archive = new MemoryStream();
        local.Save(archive);

        var uploaded = await Client.GetGrain<IExportGrain>(Guid.NewGuid()).UploadAsync("uploaded-mlp", archive.ToArray());

        Assert.Equal(ProgramVersionKind.Uploaded, uploaded.Info.Kind);
        Assert.Equal("uploaded", uploaded.Info.Origin);
        Assert.Equal("x: float32[s0, 784]", Assert.Single(uploaded.Info.Inputs).ToString());
        var inputs = model.ExampleInputs(5).Cast<Tensor>().ToArray();
        var result = await Client.GetGrain<IExecutorGrain>(GrainKeys.Executor(uploaded.Program)).InvokeAsync(inputs.Select(TensorData.FromTensor).ToArray());
        var served = Assert.Single(result.Outputs).ToTensor();
        var expected = local.Module().Call(inputs.Cast<object?>().ToArray());
        Assert.True(EagerReference.MaxDifference(served, expected) < 1e-5, $"max difference {EagerReference.MaxDifference(served, expected)}");
    }

    [Fact]
    public async Task An_upload_that_gives_its_origin_is_reported_with_it_by_the_program_grain()
    {
        const string Origin = "onnx:mlp.onnx (pytorch 2.1.0, opset 17)";

        var uploaded = await Client.GetGrain<IExportGrain>(Guid.NewGuid()).UploadAsync(new UploadRequest("origin-mlp", MlpArchive.Value, Origin));

        Assert.Equal(ProgramVersionKind.Uploaded, uploaded.Info.Kind);
        Assert.Equal(Origin, uploaded.Info.Origin);
        var program = Client.GetGrain<IProgramGrain>("origin-mlp");
        Assert.Equal(Origin, (await program.GetInfoAsync()).Latest!.Origin);
        var stored = await program.GetVersionAsync(uploaded.Program.Version);
        Assert.Equal(Origin, stored.Provenance.Origin);
        Assert.Equal(ProgramProvenance.UploadSource, stored.Provenance.Source);
    }

    /// <param name="origin">Escaped as in C# ("\u001b"), so that test names and attribute data stay readable text.</param>
    [Theory]
    [InlineData("", "The upload origin is blank.")]
    [InlineData("   ", "The upload origin is blank.")]
    [InlineData(@"onnx:a.onnx\nforged line", "The upload origin has the unprintable character U+000A at index 11.")]
    [InlineData(@"\u001b[31monnx:red.onnx", "The upload origin has the unprintable character U+001B at index 0.")]
    [InlineData(@"onnx:\u202exnnx.exe", "The upload origin has the unprintable character U+202E at index 5.")]
    [InlineData("o{201}", "The upload origin is 201 characters long.")]
    public async Task An_invalid_origin_is_refused_as_an_invalid_request_and_nothing_is_stored(string origin, string expected)
    {
        string text = origin == "o{201}" ? new string('o', 201) : Regex.Unescape(origin);
        string name = $"bad-origin-{Guid.NewGuid():N}";

        var error = await Assert.ThrowsAsync<GraphportException>(() =>
            Client.GetGrain<IExportGrain>(Guid.NewGuid()).UploadAsync(new UploadRequest(name, MlpArchive.Value, text)));

        Assert.Equal(GraphportErrorKind.InvalidRequest, error.Kind);
        Assert.StartsWith(expected, error.Message);
        Assert.Contains("Give 1-200 printable characters", error.Message);
        Assert.False((await Client.GetGrain<IProgramGrain>(name).GetInfoAsync()).Exists);
        Assert.DoesNotContain(name, await Client.GetGrain<IProgramCatalogGrain>(GrainKeys.Catalog).ListAsync());
    }

    [Fact]
    public void Any_text_becomes_a_valid_origin_printable_single_line_and_at_most_200_characters()
    {
        Assert.Equal("onnx:a? b.onnx", UploadRequest.OriginFrom("  onnx:a\u001b \n\t b.onnx "));
        Assert.Equal("onnx:?x.onnx", UploadRequest.OriginFrom("onnx:\u202ex.onnx"));
        Assert.Null(UploadRequest.OriginFrom(" \n "));
        string cut = UploadRequest.OriginFrom(new string('x', 199) + "\U0001F600")!;
        Assert.Equal(new string('x', 199), cut);
        Assert.Null(UploadRequest.OriginProblem(cut));
        Assert.Null(UploadRequest.OriginProblem("onnx:modèle \U0001F600.onnx (pytorch 2.1.0, opset 17)"));
    }

    [Fact]
    public void The_client_side_origin_check_also_refuses_a_lone_surrogate_which_the_wire_would_turn_into_U_FFFD()
    {
        Assert.StartsWith("The upload origin has a lone UTF-16 surrogate (U+D800) at index 5.", UploadRequest.OriginProblem("onnx:\ud800.onnx"));
        Assert.Throws<ArgumentException>("origin", () => UploadRequest.CheckOrigin("onnx:\ud800.onnx"));
    }

    [Fact]
    public async Task A_damaged_archive_is_refused_as_an_invalid_request_and_nothing_is_stored()
    {
        byte[] garbage = new byte[256];
        new Random(7).NextBytes(garbage);

        var error = await Assert.ThrowsAsync<GraphportException>(() =>
            Client.GetGrain<IExportGrain>(Guid.NewGuid()).UploadAsync("damaged-upload", garbage));

        Assert.Equal(GraphportErrorKind.InvalidRequest, error.Kind);
        Assert.Contains("is not a readable .pt2 archive", error.Message);
        var info = await Client.GetGrain<IProgramGrain>("damaged-upload").GetInfoAsync();
        Assert.False(info.Exists);
    }

    [Fact]
    public async Task An_archive_naming_an_op_the_silo_does_not_know_is_refused_with_the_op_named()
    {
        var model = ModelZoo.Get("mlp");
        var local = Torch.Export(model.Create(), model.ExampleInputs(2), dynamicShapes: model.DynamicShapes());
        using var archive = new MemoryStream();
        local.Save(archive);
        using (var zip = new ZipArchive(archive, ZipArchiveMode.Update, leaveOpen: true))
        {
            var entry = zip.Entries.Single(e => e.FullName.EndsWith("models/model.json", StringComparison.Ordinal));
            string json;
            using (var reader = new StreamReader(entry.Open(), Encoding.UTF8)) json = reader.ReadToEnd();
            Assert.Contains("aten.relu.default", json);
            string tampered = json.Replace("aten.relu.default", "aten.no_such_op.default", StringComparison.Ordinal);
            entry.Delete();
            using var writer = new StreamWriter(zip.CreateEntry(entry.FullName).Open(), new UTF8Encoding(false));
            writer.Write(tampered);
        }

        var error = await Assert.ThrowsAsync<GraphportException>(() =>
            Client.GetGrain<IExportGrain>(Guid.NewGuid()).UploadAsync("unknown-op-upload", archive.ToArray()));

        Assert.Equal(GraphportErrorKind.InvalidRequest, error.Kind);
        Assert.Contains("no_such_op", error.Message);
        Assert.False((await Client.GetGrain<IProgramGrain>("unknown-op-upload").GetInfoAsync()).Exists);
    }
}
