using Graphport.Grains;
using Graphport.Zoo;

namespace Graphport.Cluster.Tests;

/// <summary>Bad requests and bad inputs get the engine's own message at the caller, and nothing stored is harmed.</summary>
[Collection(SharedClusterCollection.Name)]
public sealed class ClusterErrorTests(SharedClusterFixture fixture)
{
    private IClusterClient Client => fixture.Cluster.Client;

    private Task<ExportResult> ExportAsync(ExportRequest request) => Client.GetGrain<IExportGrain>(Guid.NewGuid()).ExportAsync(request);

    private static ExportInput[] PairWithSeparateDims() =>
    [
        new ExportInput("x", "float32", [4, 3], [new DimSpec(0, "a")]),
        new ExportInput("y", "float32", [4, 3], [new DimSpec(0, "b")]),
    ];

    [Fact]
    public async Task Constraint_violation_reaches_the_client_with_the_engines_text_and_suggested_fixes()
    {
        var local = Assert.Throws<ConstraintViolationException>(() => Torch.Export(new TestModules.AddPairModule(), [Torch.Randn(4, 3), Torch.Randn(4, 3)],
            dynamicShapes: new() { ["x"] = new() { [0] = new Dim("a") }, ["y"] = new() { [0] = new Dim("b") } }));

        var e = await Assert.ThrowsAsync<GraphportException>(() => ExportAsync(ExportRequest.Module(TestModules.AddPair, PairWithSeparateDims(), "violating")));

        Assert.Equal(GraphportErrorKind.ConstraintViolation, e.Kind);
        Assert.Equal(local.Message, e.Message);
        Assert.Equal(local.SuggestedFixes, e.SuggestedFixes);
        Assert.NotEmpty(e.SuggestedFixes);
        Assert.Equal(nameof(ConstraintViolationException), e.EngineExceptionType);
    }

    [Fact]
    public async Task Invoke_with_a_wrong_shape_returns_the_engines_message_and_the_executor_keeps_serving()
    {
        var exported = await ExportAsync(ExportRequest.Zoo("mlp", "wrong-shape-mlp"));
        var executor = Client.GetGrain<IExecutorGrain>(GrainKeys.Executor(exported.Program));
        var wrong = Torch.Randn(3, 100);
        var local = Assert.ThrowsAny<ArgumentException>(() => ModelZoo.Get("mlp").Export().Program.Module().Call(wrong));

        var e = await Assert.ThrowsAsync<GraphportException>(() => executor.InvokeAsync([TensorData.FromTensor(wrong)]));

        Assert.Equal(GraphportErrorKind.InvalidInput, e.Kind);
        Assert.Equal(local.Message, e.Message);
        var served = await executor.InvokeAsync([TensorData.FromTensor(Torch.Randn(3, 784))]);
        Assert.Equal([3L, 10L], Assert.Single(served.Outputs).Shape);
    }

    private sealed class TokenEmbedding : Module<Tensor, Tensor>
    {
        private readonly Embedding table = new(10, 4);

        public override Tensor Forward(Tensor ids) => table.Call(ids) * 2.0;
    }

    [Fact]
    public async Task A_token_id_past_the_table_is_bad_input_named_with_its_source_and_the_executor_keeps_serving()
    {
        var ids = Tensor.FromArray(new long[] { 1, 2, 3 }, 1, 3);
        var local = Torch.Export(new TokenEmbedding(), [ids]);
        using var archive = new MemoryStream();
        local.Save(archive);
        var uploaded = await Client.GetGrain<IExportGrain>(Guid.NewGuid()).UploadAsync("token-embedding", archive.ToArray());
        var executor = Client.GetGrain<IExecutorGrain>(GrainKeys.Executor(uploaded.Program));

        var e = await Assert.ThrowsAsync<GraphportException>(() => executor.InvokeAsync([TensorData.FromTensor(Tensor.FromArray(new long[] { 1, 10, 3 }, 1, 3))]));

        Assert.Equal(GraphportErrorKind.InvalidInput, e.Kind);
        Assert.Equal(nameof(IndexValueException), e.EngineExceptionType);
        Assert.Contains("index 10 at position 1 is out of range for an embedding table of V=10 rows; expected 0 <= index < 10", e.Message);
        Assert.Contains("ClusterErrorTests.cs", e.Message);
        var served = await executor.InvokeAsync([TensorData.FromTensor(ids)]);
        Assert.True(EagerReference.MaxDifference(Assert.Single(served.Outputs).ToTensor(), local.Module().Call(ids)) == 0);
    }

    private sealed class PicksRows : Module<Tensor, Tensor, Tensor>
    {
        public override Tensor Forward(Tensor x, Tensor rows) => x[rows] * 2.0;
    }

    [Fact]
    public async Task A_row_index_past_the_tensor_is_bad_input_and_the_executor_keeps_serving()
    {
        var x = Torch.Randn(4, 3);
        var rows = Tensor.FromArray(new long[] { 3, -4 }, 2);
        using var archive = new MemoryStream();
        Torch.Export(new PicksRows(), [x, rows]).Save(archive);
        var uploaded = await Client.GetGrain<IExportGrain>(Guid.NewGuid()).UploadAsync("picks-rows", archive.ToArray());
        var executor = Client.GetGrain<IExecutorGrain>(GrainKeys.Executor(uploaded.Program));

        var e = await Assert.ThrowsAsync<GraphportException>(() => executor.InvokeAsync(
            [TensorData.FromTensor(x), TensorData.FromTensor(Tensor.FromArray(new long[] { 1, 4 }, 2))]));

        Assert.Equal(GraphportErrorKind.InvalidInput, e.Kind);
        Assert.Equal(nameof(IndexValueException), e.EngineExceptionType);
        Assert.Contains("index 4 is out of bounds for dimension 0 with size 4", e.Message);
        Assert.Contains("ClusterErrorTests.cs", e.Message);
        var served = await executor.InvokeAsync([TensorData.FromTensor(x), TensorData.FromTensor(rows)]);
        Assert.True(EagerReference.MaxDifference(Assert.Single(served.Outputs).ToTensor(), new PicksRows().Call(x, rows)) == 0);
    }

    [Fact]
    public async Task Malformed_tensor_data_is_refused_with_the_reason()
    {
        var exported = await ExportAsync(ExportRequest.Zoo("mlp", "malformed-input-mlp"));
        var executor = Client.GetGrain<IExecutorGrain>(GrainKeys.Executor(exported.Program));

        var shortData = await Assert.ThrowsAsync<GraphportException>(() => executor.InvokeAsync([new TensorData("float32", [2, 784], new byte[10])]));
        var badDType = await Assert.ThrowsAsync<GraphportException>(() => executor.InvokeAsync([new TensorData("complex32", [1], new byte[4])]));
        var wrongDType = await Assert.ThrowsAsync<GraphportException>(() => executor.InvokeAsync([new TensorData("complex64", [2, 784], new byte[2 * 784 * 8])]));
        var huge = await Assert.ThrowsAsync<GraphportException>(() => executor.InvokeAsync([new TensorData("float32", [long.MaxValue, 4], new byte[8])]));

        Assert.Equal(GraphportErrorKind.InvalidInput, shortData.Kind);
        Assert.Contains("needs 6272 bytes, but 10 were sent", shortData.Message);
        Assert.Equal(GraphportErrorKind.InvalidInput, badDType.Kind);
        Assert.Contains("Unknown dtype 'complex32'", badDType.Message);
        Assert.Equal(GraphportErrorKind.InvalidInput, wrongDType.Kind);
        Assert.Contains("to have dtype torch.float32", wrongDType.Message);
        Assert.Equal(GraphportErrorKind.InvalidInput, huge.Kind);
        Assert.Contains("more elements than any tensor can hold", huge.Message);
    }

    [Fact]
    public async Task Unknown_zoo_model_names_the_models_there_are()
    {
        var e = await Assert.ThrowsAsync<GraphportException>(() => ExportAsync(ExportRequest.Zoo("alexnet")));

        Assert.Equal(GraphportErrorKind.NotFound, e.Kind);
        Assert.Contains("No zoo model named 'alexnet'", e.Message);
        Assert.Contains("resnet18", e.Message);
    }

    [Fact]
    public async Task Unknown_registered_module_and_unknown_source_are_refused()
    {
        var module = await Assert.ThrowsAsync<GraphportException>(() => ExportAsync(ExportRequest.Module("nope", [])));
        var source = await Assert.ThrowsAsync<GraphportException>(() => ExportAsync(new ExportRequest("onnx:model.onnx")));

        Assert.Equal(GraphportErrorKind.NotFound, module.Kind);
        Assert.Contains($"Registered: {TestModules.AddPair}, {TestModules.Tiny}", module.Message);
        Assert.Equal(GraphportErrorKind.InvalidRequest, source.Kind);
        Assert.Contains("Unknown export source 'onnx:model.onnx'", source.Message);
    }

    [Theory]
    [InlineData("float33", "Unknown dtype 'float33'")]
    [InlineData("float32", "has rank 2, so it has no dimension 5")]
    public async Task Malformed_export_inputs_are_refused_before_tracing(string dtype, string expected)
    {
        int dim = dtype == "float32" ? 5 : 0;
        var inputs = new[] { new ExportInput("x", dtype, [2, 4], [new DimSpec(dim, "batch")]) };

        var e = await Assert.ThrowsAsync<GraphportException>(() => ExportAsync(ExportRequest.Module(TestModules.Tiny, inputs, "malformed")));

        Assert.Equal(GraphportErrorKind.InvalidRequest, e.Kind);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public async Task Invalid_program_names_are_refused()
    {
        var e = await Assert.ThrowsAsync<GraphportException>(() => ExportAsync(ExportRequest.Zoo("mlp", "../escape")));

        Assert.Equal(GraphportErrorKind.InvalidRequest, e.Kind);
        Assert.Contains("Invalid program name '../escape'", e.Message);
    }

    [Fact]
    public async Task Unknown_program_and_unknown_version_are_not_found()
    {
        var missing = await Assert.ThrowsAsync<GraphportException>(() => Client.GetGrain<IExecutorGrain>("never-stored@1").InvokeAsync([]));
        var exported = await ExportAsync(TestModules.TinyExport("one-version"));
        var version = await Assert.ThrowsAsync<GraphportException>(() => Client.GetGrain<IExecutorGrain>("one-version@7").InvokeAsync([]));

        Assert.Equal(GraphportErrorKind.NotFound, missing.Kind);
        Assert.StartsWith("No program named 'never-stored'.", missing.Message);
        Assert.Equal(1, exported.Program.Version);
        Assert.Equal(GraphportErrorKind.NotFound, version.Kind);
        Assert.Equal("Program 'one-version' has versions 1 to 1; there is no version 7.", version.Message);
    }

    [Fact]
    public async Task Unknown_decomposition_table_is_refused()
    {
        var exported = await ExportAsync(TestModules.TinyExport("bad-table"));

        var e = await Assert.ThrowsAsync<GraphportException>(() => Client.GetGrain<IDecompositionGrain>(GrainKeys.Decomposition(exported.Program, "fast")).DecomposeAsync());

        Assert.Equal(GraphportErrorKind.InvalidRequest, e.Kind);
        Assert.Contains("Unknown decomposition table 'fast'", e.Message);
    }

    [Fact]
    public async Task Failed_operations_leave_the_stored_program_as_it_was()
    {
        var exported = await ExportAsync(TestModules.TinyExport("kept"));
        var input = new[] { TensorData.FromTensor(Torch.Randn(5, 4)) };
        var before = await Client.GetGrain<IExecutorGrain>(GrainKeys.Executor(exported.Program)).InvokeAsync(input);

        await Assert.ThrowsAsync<GraphportException>(() => ExportAsync(ExportRequest.Module(TestModules.AddPair, PairWithSeparateDims(), "kept")));
        await Assert.ThrowsAsync<GraphportException>(() => ExportAsync(ExportRequest.Module(TestModules.Tiny, [new ExportInput("x", "float32", [2, 5])], "kept")));
        await Assert.ThrowsAsync<GraphportException>(() => Client.GetGrain<IDecompositionGrain>("kept@1/ops:aten::no_such_op").DecomposeAsync());
        await Assert.ThrowsAsync<GraphportException>(() => Client.GetGrain<IExecutorGrain>("kept@1").InvokeAsync([TensorData.FromTensor(Torch.Randn(5, 7))]));

        var info = await Client.GetGrain<IProgramGrain>("kept").GetInfoAsync();
        Assert.Equal([1], info.Versions.Select(v => v.Version));
        var after = await Client.GetGrain<IExecutorGrain>(GrainKeys.Executor(exported.Program)).InvokeAsync(input);
        Assert.Equal(before.Outputs[0].Data, after.Outputs[0].Data);
    }

    [Fact]
    public async Task Decomposing_twice_returns_the_version_made_the_first_time()
    {
        var exported = await ExportAsync(TestModules.TinyExport("decomposed-once"));

        var first = await Client.GetGrain<IDecompositionGrain>(GrainKeys.Decomposition(exported.Program, "core")).DecomposeAsync();
        var second = await Client.GetGrain<IDecompositionGrain>(GrainKeys.Decomposition(exported.Program, "core")).DecomposeAsync();

        Assert.False(first.Reused);
        Assert.True(second.Reused);
        Assert.Equal(first.Program, second.Program);
        Assert.Equal(2, (await Client.GetGrain<IProgramGrain>("decomposed-once").GetInfoAsync()).Versions.Length);
    }
}
