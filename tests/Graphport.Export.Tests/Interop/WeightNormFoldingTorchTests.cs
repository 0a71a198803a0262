using System.Text.Json.Nodes;

namespace Graphport.Tests.Interop;

/// <summary>
/// A vocoder-style stack whose layers torch weight-normalizes (old-style weight_g/weight_v and the parametrizations'
/// original0/original1, over dim 0 and over the whole weight) loads here once folded, and computes what torch's
/// weight-normalized stack computes; the folded weights are what torch's remove_weight_norm leaves.
/// </summary>
public class WeightNormFoldingTorchTests
{
    private const string Script = """
        import json, sys, torch
        torch.manual_seed(int(sys.argv[2]))
        nn = torch.nn
        wn = torch.nn.utils.weight_norm
        pwn = torch.nn.utils.parametrizations.weight_norm
        stack = nn.Sequential(
            wn(nn.Conv1d(4, 8, 5, padding=2)), nn.LeakyReLU(0.1),
            pwn(nn.ConvTranspose1d(8, 6, 4, stride=2, padding=1)), nn.LeakyReLU(0.1),
            pwn(nn.Conv1d(6, 6, 3, padding=1, groups=2), dim=None),
            nn.Flatten(1), wn(nn.Linear(6 * 16, 3), dim=1))
        with torch.no_grad():
            for p in stack.parameters():
                p.mul_(torch.rand_like(p) + 0.5)
        x = torch.randn(2, 4, 8)
        y = stack(x)
        def t(v):
            return {"dtype": str(v.dtype).replace("torch.", ""), "shape": list(v.shape), "data": v.detach().flatten().tolist()}
        state = {k: t(v) for k, v in stack.state_dict().items()}
        torch.nn.utils.remove_weight_norm(stack[0])
        torch.nn.utils.remove_weight_norm(stack[6])
        torch.nn.utils.parametrize.remove_parametrizations(stack[2], "weight")
        torch.nn.utils.parametrize.remove_parametrizations(stack[4], "weight")
        with open(sys.argv[1], "w") as f:
            json.dump({"state": state, "plain": {k: t(v) for k, v in stack.state_dict().items()}, "x": t(x), "y": t(y)}, f)
        """;

    private static Tensor T(JsonNode node) => TorchScriptJson.Tensor(node);

    [Fact]
    public void A_weight_normalized_checkpoint_folds_into_plain_layers_that_compute_what_torch_computes()
    {
        int seed = Environment.TickCount & 0xFFFF;
        var json = TorchScriptJson.Run(Script, seed);
        var state = json["state"]!.AsObject().ToDictionary(kv => kv.Key, kv => T(kv.Value!));
        Assert.Contains("0.weight_g", state.Keys);
        Assert.Contains("2.parametrizations.weight.original1", state.Keys);

        var folded = WeightNormFolding.Fold(state);
        var plain = json["plain"]!.AsObject().ToDictionary(kv => kv.Key, kv => T(kv.Value!));
        Assert.Equal(plain.Keys.Order(), folded.Keys.Order());
        foreach (var (key, expected) in plain)
        {
            double worst = (folded[key] - expected).Abs().Max().Item<double>();
            Assert.True(worst <= 1e-6, $"seed {seed}: {key} differs from torch's remove_weight_norm by {worst}");
        }

        var stack = new Sequential(new Conv1d(4, 8, 5, padding: 2), new LeakyReLU(0.1), new ConvTranspose1d(8, 6, 4, stride: 2, padding: 1), new LeakyReLU(0.1),
            new Conv1d(6, 6, 3, padding: 1, groups: 2), new Flatten(1), new Linear(6 * 16, 3));
        stack.LoadStateDict(folded);
        var x = T(json["x"]!);
        var expectedY = T(json["y"]!);
        double difference = (stack.Call(x) - expectedY).Abs().Max().Item<double>();
        Assert.True(difference <= 1e-5, $"seed {seed}: the folded stack differs from torch's by {difference}");

        // torch._weight_norm itself, exported: g · v / ‖v‖ over every dim but dim.
        var v = Torch.Randn(6, 3, 4);
        var g = Torch.Rand(6, 1, 1) + 0.5;
        var direct = v * (g / v.Flatten(1).Norm(2, 1, keepdim: true).View(6, 1, 1));
        Assert.True((Torch.WeightNorm(v, g) - direct).Abs().Max().Item<double>() <= 1e-6);
        Assert.Contains("magnitude of shape", Assert.Throws<ArgumentException>(() => WeightNormFolding.Fold(new Dictionary<string, Tensor> { ["w_g"] = Torch.Ones(6, 3, 1), ["w_v"] = v })).Message, StringComparison.Ordinal);
    }
}
