using System.IO.Compression;
using System.Text;
using Graphport.Grains;
using Graphport.Zoo;

namespace Graphport.Cluster.Tests;

[Collection(SharedClusterCollection.Name)]
public sealed class ProgramUploadTests(SharedClusterFixture fixture)
{
    private IClusterClient Client => fixture.Cluster.Client;

    [Fact]
    public async Task A_program_exported_in_the_client_process_is_stored_as_pt2_and_served_with_the_same_numbers()
    {
        var model = ModelZoo.Get("mlp");
        var local = Torch.Export(model.Create(), model.ExampleInputs(2), dynamicShapes: model.DynamicShapes());
        using var archive = new MemoryStream();
        local.Save(archive);

        var uploaded = await Client.GetGrain<IExportGrain>(Guid.NewGuid()).UploadAsync("uploaded-mlp", archive.ToArray());

        Assert.Equal(ProgramVersionKind.Uploaded, uploaded.Info.Kind);
        Assert.Equal("x: float32[s0, 784]", Assert.Single(uploaded.Info.Inputs).ToString());
        var inputs = model.ExampleInputs(5).Cast<Tensor>().ToArray();
        var result = await Client.GetGrain<IExecutorGrain>(GrainKeys.Executor(uploaded.Program)).InvokeAsync(inputs.Select(TensorData.FromTensor).ToArray());
        var served = Assert.Single(result.Outputs).ToTensor();
        var expected = local.Module().Call(inputs.Cast<object?>().ToArray());
        Assert.True(EagerReference.MaxDifference(served, expected) < 1e-5, $"max difference {EagerReference.MaxDifference(served, expected)}");
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
