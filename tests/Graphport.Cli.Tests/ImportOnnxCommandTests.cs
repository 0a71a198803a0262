using System.Text.Json;
using System.Text.RegularExpressions;
using Graphport.Cli.Commands;
using Graphport.Client;
using Graphport.Onnx;
using Graphport.Tests.Onnx;

namespace Graphport.Cli.Tests;

/// <summary>
/// graphport import onnx: y = relu(x @ W + b) with a symbolic "batch" dimension, written to a .pt2 or stored on an
/// embedded cluster, checked against the same sum computed by hand; and the errors a bad file or model gives.
/// </summary>
public sealed class ImportOnnxCommandTests : IDisposable
{
    private const int Features = 4;
    private const int Units = 3;

    private static readonly float[] W = [0.5f, -1f, 0.25f, 2f, 0.75f, -0.5f, -1.5f, 1f, 0.125f, 0.3f, -0.2f, 1.1f];
    private static readonly float[] B = [0.1f, -0.3f, 0.05f];

    private readonly TempHome home = new();

    public ImportOnnxCommandTests() => Directory.CreateDirectory(home.Path);

    public void Dispose() => home.Dispose();

    private CliRun Run(params string[] args) => CliRun.With(home.Environment, args);

    private bool ClusterStarted => Directory.Exists(Path.Combine(home.Path, "state"));

    private string Write(string fileName, byte[] bytes)
    {
        string path = Path.Combine(home.Path, fileName);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] LinearRelu() => new OnnxModelBuilder(opset: 17)
        .Input("x", ElemType.Float, "batch", (long)Features)
        .Initializer("W", W, Features, Units)
        .Initializer("b", B, Units)
        .Node("MatMul", ["x", "W"], ["xw"])
        .Node("Add", ["xw", "b"], ["h"])
        .Node("Relu", ["h"], ["y"])
        .Output("y", ElemType.Float, ["batch", (long)Units])
        .Build();

    private static float[] RandomInput(int batch, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, batch * Features).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
    }

    /// <summary>relu(x @ W + b), row by row.</summary>
    private static float[] ByHand(float[] x, int batch)
    {
        var y = new float[batch * Units];
        for (int r = 0; r < batch; r++)
            for (int c = 0; c < Units; c++)
            {
                float sum = B[c];
                for (int k = 0; k < Features; k++) sum += x[r * Features + k] * W[k * Units + c];
                y[r * Units + c] = Math.Max(sum, 0f);
            }
        return y;
    }

    private static Tensor TensorOf(float[] x, int batch) => Torch.Tensor(x).Reshape([batch, Features]);

    private static void AssertClose(float[] expected, Tensor actual, int batch)
    {
        Assert.Equal([batch, Units], actual.Shape.Select(s => (long)s));
        var values = actual.ToArray<float>();
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - values[i]) <= 1e-5f, $"element {i}: expected {expected[i]}, got {values[i]}");
    }

    [Fact]
    public void Import_with_out_writes_a_pt2_that_computes_the_model_for_any_batch_without_a_cluster()
    {
        Write("linear.onnx", LinearRelu());
        string archive = Path.Combine(home.Path, "out", "linear.pt2");

        var run = Run("import", "onnx", Path.Combine(home.Path, "linear.onnx"), "--out", archive, "--dim", "batch=5");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.StartsWith($"Imported linear.onnx into {archive}\n", run.Out);
        Assert.Contains("  onnx: graphport-tests, opset 17, IR 8: 3 nodes -> ", run.Out);
        Assert.Contains("  input x: float32[s0, 4]  (batch = s0)\n", run.Out);
        Assert.Contains("  output y: float32[s0, 3]\n", run.Out);
        Assert.Contains("  weights: 2 tensors, 60 B\n", run.Out);
        Assert.False(ClusterStarted);

        var program = ExportedProgram.Load(archive);
        foreach (int batch in new[] { 3, 7 })
        {
            var x = RandomInput(batch, seed: batch);
            AssertClose(ByHand(x, batch), program.Module().Call(TensorOf(x, batch)), batch);
        }
    }

    [Fact]
    public async Task Import_into_the_cluster_stores_a_program_whose_uploaded_and_decomposed_versions_compute_the_model()
    {
        Write("Linear Relu.onnx", LinearRelu());

        var run = Run("import", "onnx", Path.Combine(home.Path, "Linear Relu.onnx"), "--decompose", "--json");

        Assert.True(run.ExitCode == 0, run.Error + run.Out);
        using (var json = JsonDocument.Parse(run.Out))
        {
            var root = json.RootElement;
            Assert.Equal("Linear-Relu@1", root.GetProperty("program").GetString());
            Assert.Equal(JsonValueKind.Null, root.GetProperty("file").ValueKind);
            Assert.Equal(17, root.GetProperty("onnx").GetProperty("opset").GetInt64());
            Assert.Equal(3, root.GetProperty("onnx").GetProperty("nodes").GetInt32());
            Assert.True(root.GetProperty("atenOps").GetInt32() >= 3);
            var input = Assert.Single(root.GetProperty("inputs").EnumerateArray().ToList());
            Assert.Equal("x", input.GetProperty("name").GetString());
            Assert.Equal(["s0", "4"], input.GetProperty("sizes").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal("s0", input.GetProperty("dims").GetProperty("batch").GetString());
            Assert.Equal("s0", Assert.Single(root.GetProperty("rangeConstraints").EnumerateArray().ToList()).GetProperty("symbol").GetString());
            Assert.Equal("y", Assert.Single(root.GetProperty("outputs").EnumerateArray().ToList()).GetProperty("name").GetString());
            Assert.Equal(2, root.GetProperty("weights").GetProperty("count").GetInt32());
            Assert.Equal("Linear-Relu@2", root.GetProperty("decomposed").GetProperty("program").GetString());
        }

        await using var client = await GraphportClient.StartEmbeddedAsync(new EmbeddedClusterOptions { DataDirectory = home.Path, Environment = _ => null });
        const int Batch = 5;
        var x = RandomInput(Batch, seed: 42);
        foreach (var version in new[] { "Linear-Relu@1", "Linear-Relu@2" })
        {
            var output = Assert.Single(await client.InvokeAsync(Grains.ProgramRef.Parse(version), [TensorOf(x, Batch)]));
            AssertClose(ByHand(x, Batch), output, Batch);
        }
    }

    [Fact]
    public void Programs_list_and_show_say_an_imported_program_came_from_its_onnx_file()
    {
        const string Origin = "onnx:linear.onnx (graphport-tests, opset 17)";
        string path = Write("linear.onnx", LinearRelu());
        Assert.Equal(0, Run("import", "onnx", path, "--decompose").ExitCode);

        var show = Run("programs", "show", "linear@1");
        var showJson = Run("programs", "show", "linear", "--json");
        var list = Run("programs", "list");
        var listJson = Run("programs", "list", "--json");

        Assert.True(show.ExitCode == 0, show.Error);
        Assert.Contains($"  linear@1  uploaded  ", show.Out);
        Assert.Contains($"  from {Origin}\n", show.Out);
        Assert.Contains($"linear@1 (uploaded, {Origin}), created ", show.Out);
        using (var json = JsonDocument.Parse(showJson.Out))
        {
            var versions = json.RootElement.GetProperty("program").GetProperty("versions").EnumerateArray().ToList();
            Assert.Equal([Origin, "decomposed from v1 with core"], versions.Select(v => v.GetProperty("origin").GetString()));
        }
        // The latest version is the decomposed one; the list still says where the program came from.
        var row = Assert.Single(list.Out.Split('\n'), l => l.StartsWith("linear ", StringComparison.Ordinal));
        Assert.Contains("v2 decomposed", row);
        Assert.EndsWith($"  {Origin}", row);
        Assert.StartsWith("NAME ", list.Out);
        Assert.Contains("  FROM\n", list.Out);
        using (var json = JsonDocument.Parse(listJson.Out))
        {
            var program = Assert.Single(json.RootElement.EnumerateArray().ToList());
            Assert.Equal(Origin, program.GetProperty("versions")[0].GetProperty("origin").GetString());
        }
    }

    [Theory]
    [InlineData("resnet18.onnx", "onnx", "onnx:resnet18.onnx (onnx, opset 17)")]
    [InlineData(@"two\nlines.onnx", @"pytorch\t2.1", "onnx:two lines.onnx (pytorch 2.1, opset 17)")]
    [InlineData(@"weird\u001b.onnx", "", "onnx:weird?.onnx (opset 17)")]
    public void The_origin_names_the_file_the_producer_and_the_opset_on_one_printable_line(string file, string producer, string expected)
    {
        var model = OnnxModel.Parse(new OnnxModelBuilder(opset: 17) { ProducerName = Regex.Unescape(producer) }
            .Input("x", ElemType.Float, 2L).Node("Relu", ["x"], ["y"]).Output("y", ElemType.Float, [2L]).Build());

        Assert.Equal(expected, OnnxOrigin.Of(Regex.Unescape(file), model));
    }

    [Fact]
    public void An_origin_too_long_for_the_producer_keeps_the_file_name_cut_to_200_characters()
    {
        var model = OnnxModel.Parse(LinearRelu());

        Assert.Equal("onnx:" + new string('m', 170) + ".onnx", OnnxOrigin.Of(new string('m', 170) + ".onnx", model));
        Assert.Equal("onnx:" + new string('m', 195), OnnxOrigin.Of(new string('m', 250) + ".onnx", model));
    }

    [Fact]
    public void A_missing_file_is_a_usage_error_that_names_it()
    {
        var run = Run("import", "onnx", Path.Combine(home.Path, "missing.onnx"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("No file '", run.Error);
        Assert.Contains("missing.onnx'", run.Error);
        Assert.False(ClusterStarted);
    }

    [Fact]
    public void A_file_that_is_not_onnx_fails_with_1_and_says_so()
    {
        string path = Write("notes.onnx", "these are notes, not a model\n"u8.ToArray());

        var run = Run("import", "onnx", path);

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("error (ImportFailed): ", run.Error);
        Assert.Contains("notes.onnx is not a valid ONNX model", run.Error);
        Assert.False(ClusterStarted);
    }

    [Fact]
    public void A_model_with_an_unknown_op_fails_with_1_and_names_the_node_and_the_op()
    {
        string path = Write("odd.onnx", new OnnxModelBuilder(opset: 17)
            .Input("x", ElemType.Float, 2L, 3L)
            .NamedNode("frobnicate_node", "Frobnicate", ["x"], ["y"])
            .Output("y", ElemType.Float, [2L, 3L])
            .Build());

        var text = Run("import", "onnx", path, "--out", Path.Combine(home.Path, "odd.pt2"));
        var json = Run("import", "onnx", path, "--json");

        Assert.Equal(1, text.ExitCode);
        Assert.StartsWith("error (ImportFailed): ", text.Error);
        Assert.Contains("frobnicate_node", text.Error);
        Assert.Contains("Frobnicate", text.Error);
        Assert.False(File.Exists(Path.Combine(home.Path, "odd.pt2")));
        Assert.Equal(1, json.ExitCode);
        using var error = JsonDocument.Parse(json.Out);
        Assert.Equal("ImportFailed", error.RootElement.GetProperty("error").GetString());
        Assert.Contains("frobnicate_node", error.RootElement.GetProperty("message").GetString());
        Assert.False(ClusterStarted);
    }

    [Theory]
    [InlineData("--dim seq=8", "--dim seq: linear.onnx has no such dimension. Its symbolic dimensions: batch;")]
    [InlineData("--dim x:2=8", "--dim x:2: linear.onnx has no such dimension.")]
    [InlineData("--dim x:1=8", "--dim x:1: that axis has the fixed size 4 in linear.onnx")]
    [InlineData("--dim batch", "--dim 'batch' must be NAME=SIZE")]
    [InlineData("--dim batch=0", "--dim 'batch=0' must be NAME=SIZE with SIZE a positive whole number")]
    [InlineData("--dim batch=4 --dim batch=8", "--dim batch is given twice.")]
    [InlineData("--name bad/name", "Invalid program name 'bad/name'")]
    [InlineData("--out linear.pt2 --name linear", "--name applies to a program stored on the cluster")]
    [InlineData("--dims batch=4", "Unknown option --dims.")]
    [InlineData("--input-value x", "--input-value 'x' must be NAME=V or NAME=V1,V2,... with numbers")]
    [InlineData("--input-value x=1,two", "--input-value 'x=1,two' must be NAME=V")]
    [InlineData("--input-value x=1 --input-value x=2", "--input-value x is given twice.")]
    public void Malformed_import_command_lines_exit_with_2_and_say_what_is_wrong(string options, string expected)
    {
        string path = Write("linear.onnx", LinearRelu());

        var run = Run(["import", "onnx", path, .. options.Split(' ')]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.Error);
        Assert.False(ClusterStarted);
    }

    [Fact]
    public void A_dim_named_by_input_and_axis_is_accepted()
    {
        Write("linear.onnx", LinearRelu());
        string archive = Path.Combine(home.Path, "linear.pt2");

        var run = Run("import", "onnx", Path.Combine(home.Path, "linear.onnx"), "--dim", "x:0=6", "--out", archive, "--json");

        Assert.True(run.ExitCode == 0, run.Error + run.Out);
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal(archive, json.RootElement.GetProperty("file").GetString());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("program").ValueKind);
        Assert.True(File.Exists(archive));
    }

    [Fact]
    public void An_input_value_fixes_that_input_so_the_program_takes_only_the_others()
    {
        // y = x * scale: with --input-value scale=... the archive's program takes x alone and multiplies by the constant.
        var model = new OnnxModelBuilder(opset: 17)
            .Input("x", ElemType.Float, "batch", (long)Features)
            .Input("scale", ElemType.Float, (long)Features)
            .Node("Mul", ["x", "scale"], ["y"])
            .Output("y", ElemType.Float, ["batch", (long)Features])
            .Build();
        string path = Write("scaled.onnx", model);
        string archive = Path.Combine(home.Path, "scaled.pt2");

        var run = Run("import", "onnx", path, "--input-value", "scale=0.5,-2,4,0.25", "--out", archive);

        Assert.True(run.ExitCode == 0, run.Error + run.Out);
        Assert.Contains("input x: float32[s0, 4]", run.Out);
        Assert.DoesNotContain("input scale", run.Out);
        var program = ExportedProgram.Load(archive);
        var x = RandomInput(3, 41);
        var y = ((Tensor)program.Module().Invoke(Tensor.FromArray(x, 3, Features))!).ToArray<float>();
        float[] scale = [0.5f, -2f, 4f, 0.25f];
        Assert.Equal(x.Select((v, i) => v * scale[i % Features]), y);

        var missing = Run("import", "onnx", path, "--input-value", "gain=2", "--out", archive);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("'gain', which is not an input of scaled.onnx. Its inputs: x, scale.", missing.Error);
    }

    [Fact]
    public void List_ops_prints_the_ops_the_importer_understands()
    {
        var run = Run("import", "onnx", "--list-ops");

        Assert.Equal(0, run.ExitCode);
        var ops = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("MatMul", ops);
        Assert.Contains("Relu", ops);
        Assert.Equal(ops.Order(StringComparer.Ordinal), ops);
    }

    [Theory]
    [InlineData("models/resnet18.onnx", "resnet18")]
    [InlineData("My Model (v2).onnx", "My-Model-v2")]
    [InlineData("_tmp.model.onnx", "tmp.model")]
    [InlineData("(((.onnx", "onnx-model")]
    public void The_default_program_name_is_the_file_name_made_valid(string file, string expected) =>
        Assert.Equal(expected, ImportOnnxCommand.ProgramNameFor(file));

    [Fact]
    public void An_option_given_twice_keeps_every_value_in_order()
    {
        var parsed = CommandArguments.Parse(["m.onnx", "--dim", "a=1", "--dim", "b=2"], new HashSet<string>(), new HashSet<string> { "--dim" });

        Assert.Equal(["a=1", "b=2"], parsed.OptionValues("--dim"));
        Assert.Equal("b=2", parsed.Option("--dim"));
    }
}
