using Graphport;

namespace UserModules;

/// <summary>A module whose constructor reads a weights file that is not there: exporting it fails, naming the module and why.</summary>
[GraphportModule(Name)]
public sealed class WeightsFromFile : Module<Tensor, Tensor>
{
    public const string Name = "weights_from_file";

    private readonly Parameter weight;

    public WeightsFromFile()
    {
        byte[] bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "missing-weights.bin"));
        weight = new Parameter(Torch.Tensor(bytes.Select(b => (float)b).ToArray()));
    }

    public override Tensor Forward(Tensor x) => x * weight;
}
