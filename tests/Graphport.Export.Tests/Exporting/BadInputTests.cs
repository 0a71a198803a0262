using static Graphport.Torch;

namespace Graphport.Tests.Exporting;

public sealed class NoForward : Module
{
}

public class BadInputTests
{
    [Fact]
    public void A_module_without_Forward_is_named_with_the_fix()
    {
        var e = Assert.Throws<ExportException>(() => Export(new NoForward(), [Randn(2)]));
        Assert.Equal("NoForward has no Forward method. Derive from Module<TInput..., TResult> (e.g. Module<Tensor, Tensor>) and override Forward.", e.Message);
    }

    [Fact]
    public void Too_few_or_too_many_example_arguments_name_the_parameters()
    {
        var few = Assert.Throws<ExportException>(() => Export(new MyModule(), [Randn(8, 100)]));
        Assert.Equal("MyModule.Forward(Tensor x, Tensor y) is missing an example value for parameter 'y' (position 1); 1 positional argument(s) were given.", few.Message);
        var many = Assert.Throws<ExportException>(() => Export(new MyModule(), [Randn(8, 100), Randn(8, 100), Randn(8, 100)]));
        Assert.Equal("MyModule.Forward(Tensor x, Tensor y) takes 2 argument(s) but 3 were given. Pass one example value per parameter.", many.Message);
    }

    [Fact]
    public void Keyword_arguments_bind_by_parameter_name()
    {
        ManualSeed(40);
        var ep = Export(new MyModule(), [Randn(8, 100)], kwargs: new() { ["y"] = Randn(8, 100) });
        Assert.Equal(["x", "y"], ep.GraphSignature.UserInputs);
        var e = Assert.Throws<ExportException>(() => Export(new MyModule(), [Randn(8, 100)], kwargs: new() { ["z"] = Randn(8, 100) }));
        Assert.Contains("has no parameter named 'z'", e.Message);
    }

    [Fact]
    public void An_example_of_the_wrong_type_is_rejected()
    {
        var e = Assert.Throws<ExportException>(() => Export(new MyModule(), [Randn(8, 100), "not a tensor"]));
        Assert.Contains("the example value for 'y' is a String, but the parameter is declared as Tensor", e.Message);
    }

    [Fact]
    public void A_dim_with_min_above_max_is_rejected_at_construction()
    {
        var e = Assert.Throws<ArgumentException>(() => new Dim("batch", min: 8, max: 4));
        Assert.StartsWith("Cannot create Dim \"batch\" with inconsistent min=8, max=4: min must not exceed max.", e.Message);
        Assert.Throws<ArgumentException>(() => new Dim("not an identifier"));
        Assert.Throws<NotSupportedException>(() => new Dim("d") * 0);
    }

    [Fact]
    public void A_spec_for_a_missing_argument_names_the_real_ones()
    {
        var e = Assert.Throws<ExportException>(() => Export(new MyModule(), [Randn(8, 100), Randn(8, 100)],
            dynamicShapes: new DynamicShapes { ["x"] = new() { [0] = new Dim("b") }, ["z"] = new() { [0] = new Dim("b") } }));
        Assert.StartsWith("When `dynamicShapes` is specified as a dictionary, its top-level keys must be the arg names [x, y] of `MyModule.Forward`, but here they are [x, z].", e.Message);
    }

    [Fact]
    public void A_spec_for_a_missing_dimension_or_a_non_tensor_is_rejected()
    {
        var dim = Assert.Throws<ExportException>(() => Export(new MyModule(), [Randn(8, 100), Randn(8, 100)],
            dynamicShapes: new DynamicShapes { ["x"] = new() { [2] = new Dim("b") } }));
        Assert.Contains("names dimension 2, but x has 2 dimension(s) (shape [8, 100])", dim.Message);
        var count = Assert.Throws<ExportException>(() => Export(new MyModule(), [Randn(8, 100), Randn(8, 100)],
            dynamicShapes: DynamicShapes.Positional(new() { [0] = new Dim("b") })));
        Assert.Contains("has 1 positional spec(s) but MyModule.Forward takes 2 argument(s)", count.Message);
    }

    [Fact]
    public void Calling_the_exported_module_wrongly_gives_torchs_messages()
    {
        ManualSeed(41);
        var ep = Export(new MyModule(), [Randn(8, 100), Randn(8, 100)]);
        var count = Assert.Throws<ArgumentException>(() => ep.Module().Call(Randn(8, 100)));
        Assert.StartsWith("Unexpected number of inputs (expected 2, got 1)", count.Message);
        var rank = Assert.Throws<ArgumentException>(() => ep.Module().Call(Randn(8, 100), Randn(8, 100, 1)));
        Assert.Equal("Unexpected number of dimensions in input at *args[1].shape (expected [8, 100], got [8, 100, 1])", rank.Message);
        var dtype = Assert.Throws<ArgumentException>(() => ep.Module().Call(Randn(8, 100), Randn(8, 100).Double()));
        Assert.Equal("Expected input at *args[1] to have dtype torch.float32, but got torch.float64", dtype.Message);
    }
}
