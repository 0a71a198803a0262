using Graphport.Grains;
using Microsoft.Extensions.DependencyInjection;

namespace Graphport.Cluster.Tests;

/// <summary>Small modules the test silos register for "module:NAME" exports.</summary>
public static class TestModules
{
    public const string AddPair = "add_pair";
    public const string Tiny = "tiny";

    /// <summary>x + y: exporting it with separate Dims for the two first dimensions violates their equality.</summary>
    public sealed class AddPairModule : Module<Tensor, Tensor, Tensor>
    {
        public override Tensor Forward(Tensor x, Tensor y) => x + y;
    }

    /// <summary>A linear layer with ReLU: quick to export, so tests can make many versions.</summary>
    public sealed class TinyModule : Module<Tensor, Tensor>
    {
        private readonly Linear lin = new(4, 3);

        public override Tensor Forward(Tensor x) => Functional.Relu(lin.Call(x));
    }

    public static IServiceCollection AddTestModules(this IServiceCollection services) => services
        .AddGraphportModule(AddPair, () => new AddPairModule(), "x + y")
        .AddGraphportModule(Tiny, () => new TinyModule(), "relu(linear(x))");

    /// <summary>TinyModule's input spec: x of [batch, 4] with a dynamic batch.</summary>
    public static ExportInput[] TinyInputs() => [new ExportInput("x", "float32", [2, 4], [new DimSpec(0, "batch", Max: 64)])];

    public static ExportRequest TinyExport(string programName) => ExportRequest.Module(Tiny, TinyInputs(), programName);
}
