using System.Text.Json.Nodes;
using Graphport.Tests.Shared;

namespace Graphport.Tests.Interop;

/// <summary>
/// The 1-D and activation layers of torch.nn in C# (Conv1d, BatchNorm1d, MaxPool1d, Upsample, LeakyReLU, ELU, Mish,
/// Softplus, Hardtanh, Hardsigmoid, GLU, LogSoftmax, PReLU) compute what PyTorch 2.14's do: torch builds a stack of
/// them with random weights and statistics, and its state dict loads into the same stack here by torch's names.
/// </summary>
public class NnLayersTorchTests
{
    private const string Script = """
        import json, sys, torch
        torch.manual_seed(int(sys.argv[2]))
        nn = torch.nn
        stack = nn.Sequential(
            nn.Conv1d(4, 6, 3, stride=2, padding=1, groups=2), nn.BatchNorm1d(6), nn.LeakyReLU(0.2),
            nn.Conv1d(6, 6, 1), nn.ELU(0.5), nn.Mish(), nn.PReLU(6), nn.MaxPool1d(3, 2, 1),
            nn.Upsample(scale_factor=2.0, mode="linear"), nn.Softplus(2.0, 10.0), nn.Hardtanh(-0.5, 1.5),
            nn.Upsample(scale_factor=2.0), nn.Hardsigmoid(), nn.GLU(1), nn.LogSoftmax(2))
        with torch.no_grad():
            stack[1].running_mean.uniform_(-1, 1)
            stack[1].running_var.uniform_(0.5, 2)
            stack[1].weight.uniform_(0.5, 1.5)
            stack[1].bias.uniform_(-0.5, 0.5)
            stack[6].weight.uniform_(0, 0.5)
        stack.eval()
        x = torch.randn(2, 4, 16)
        y = stack(x)

        def t(v):
            return {"dtype": str(v.dtype).replace("torch.", ""), "shape": list(v.shape), "data": v.detach().flatten().tolist()}

        with open(sys.argv[1], "w") as f:
            json.dump({"state": {k: t(v) for k, v in stack.state_dict().items()}, "x": t(x), "y": t(y)}, f)
        """;

    private static Tensor T(JsonNode node) => (Tensor)Pt2Fixture.ValueOf(node)!;

    [Fact]
    public void A_stack_of_1d_and_activation_layers_computes_what_torch_computes_with_torchs_weights()
    {
        string python = TorchPython.Require();
        int seed = Environment.TickCount & 0xFFFF;
        string folder = Directory.CreateTempSubdirectory("graphport-nn-layers-").FullName;
        try
        {
            string script = Path.Combine(folder, "layers.py"), results = Path.Combine(folder, "layers.json");
            File.WriteAllText(script, Script);
            var (exit, output) = TorchPython.Run(python, TimeSpan.FromMinutes(3), script, results, seed.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.True(exit == 0, $"torch failed ({exit}):\n{output}");
            var json = JsonNode.Parse(File.ReadAllText(results))!;

            var stack = new Sequential(
                new Conv1d(4, 6, 3, stride: 2, padding: 1, groups: 2), new BatchNorm1d(6), new LeakyReLU(0.2),
                new Conv1d(6, 6, 1), new ELU(0.5), new Mish(), new PReLU(6), new MaxPool1d(3, 2, 1),
                new Upsample(2.0, "linear"), new Softplus(2.0, 10.0), new Hardtanh(-0.5, 1.5),
                new Upsample(2.0), new Hardsigmoid(), new GLU(1), new LogSoftmax(2));
            stack.Eval();
            stack.LoadStateDict(json["state"]!.AsObject().ToDictionary(kv => kv.Key, kv => T(kv.Value!)));
            var x = T(json["x"]!);
            var expected = T(json["y"]!);

            foreach (var (what, actual) in new[] { ("eager", stack.Call(x)), ("exported", Torch.Export(stack, [x]).Module().Call(x)) })
            {
                Assert.Equal(expected.Shape.Select(s => (long)s), actual.Shape.Select(s => (long)s));
                double worst = (actual - expected).Abs().Max().Item<double>();
                Assert.True(worst <= 1e-5, $"seed {seed}: {what} differs from torch by {worst}");
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
