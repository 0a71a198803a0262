using static Graphport.Torch;

namespace Graphport.Tests.Exporting;

/// <summary>Torch.Export of a plain function (method group, local function, lambda): its parameters are the program's inputs.</summary>
public class FunctionExportTests
{
    private static Tensor SinPlus(Tensor x, Tensor y) => Sin(x) + y;

    private static Tensor Branchy(Tensor x)
    {
        if (x.Sum() > 0)
            return Sin(x);
        return Cos(x);
    }

    [Fact]
    public void A_function_exports_with_its_parameters_as_inputs_and_runs_like_the_function()
    {
        ManualSeed(1);
        var (a, b) = (Randn(3, 4), Randn(3, 4));

        var ep = Export(SinPlus, [Randn(3, 4), Randn(3, 4)]);
        var result = ep.Module().Call(a, b);

        Assert.Equal(["x", "y"], ep.GraphSignature.UserInputs);
        Assert.Empty(ep.GraphSignature.Parameters);
        Assert.Contains("def forward(self, x: \"f32[3, 4]\", y: \"f32[3, 4]\"):", ep.PrintReadable());
        Assert.Contains("sin: \"f32[3, 4]\" = torch.ops.aten.sin.default(x)", ep.PrintReadable());
        Assert.Contains("add: \"f32[3, 4]\" = torch.ops.aten.add.Tensor(sin, y)", ep.PrintReadable());
        Assert.Equal(SinPlus(a, b).ToArray<float>(), result.ToArray<float>());
    }

    [Fact]
    public void Dynamic_dims_are_keyed_by_the_functions_parameter_names()
    {
        var batch = new Dim("batch", max: 64);

        var ep = Export(SinPlus, [Randn(3, 4), Randn(3, 4)], dynamicShapes: new() { ["x"] = new() { [0] = batch }, ["y"] = new() { [0] = batch } });
        var result = ep.Module().Call(Ones(7, 4), Ones(7, 4));
        var tooMany = Assert.Throws<ArgumentException>(() => ep.Module().Call(Ones(70, 4), Ones(70, 4)));
        var misnamed = Assert.Throws<ExportException>(() => Export(SinPlus, [Randn(3, 4), Randn(3, 4)], dynamicShapes: new() { ["xs"] = new() { [0] = batch } }));

        Assert.Equal("{s0: [2, 64]}", ep.RangeConstraints.ToString());
        Assert.Equal([7L, 4L], result.Shape.ToArray());
        Assert.Contains("to be <= 64, but got 70", tooMany.Message);
        Assert.StartsWith("When `dynamicShapes` is specified as a dictionary, its top-level keys must be the arg names [x, y] of `SinPlus`, but here they are [xs].", misnamed.Message);
    }

    [Fact]
    public void The_seeds_map_example_exports_as_a_local_function()
    {
        static Tensor MapExample(Tensor xs)
        {
            static Tensor MapFn(Tensor x, Tensor[] rest)
            {
                static Tensor TrueFn(Tensor[] ops) => ops[0] + ops[1];
                static Tensor FalseFn(Tensor[] ops) => ops[0] - ops[1];
                return Cond(x.Sum() > 0, TrueFn, FalseFn, [x, rest[0]]);
            }
            return Map(MapFn, xs, Torch.Tensor(new float[] { 2 }));
        }

        var ep = Export(MapExample, [Randn(4, 3)]);
        var result = ep.Module().Call(Cat([Ones(2, 3), -Ones(2, 3)]));

        Assert.Equal(["xs"], ep.GraphSignature.UserInputs);
        Assert.Equal([3, 3, 3, 3, 3, 3, -3, -3, -3, -3, -3, -3], result.ToArray<float>());
    }

    [Fact]
    public void Tensors_a_lambda_captures_become_constants()
    {
        var offset = Torch.Tensor(new float[] { 1, 2, 3 });

        var ep = Export((Tensor x) => x * 2 + offset, [Randn(2, 3)]);

        Assert.Equal([InputKind.ConstantTensor, InputKind.UserInput], ep.GraphSignature.InputSpecs.Select(s => s.Kind));
        Assert.Equal([3, 4, 5, 3, 4, 5], ep.Module().Call(Ones(2, 3)).ToArray<float>());
    }

    [Fact]
    public void A_modules_bound_method_keeps_its_weights_as_parameters()
    {
        ManualSeed(2);
        var module = new MyModule();
        var (x, y) = (Randn(8, 100), Randn(8, 100));

        var ep = Export(module.Forward, [Randn(8, 100), Randn(8, 100)]);

        Assert.Equal(["lin.weight", "lin.bias"], ep.GraphSignature.Parameters);
        Assert.Equal(["x", "y"], ep.GraphSignature.UserInputs);
        Assert.Equal(module.Call(x, y).ToArray<float>(), ep.Module().Call(x, y).ToArray<float>());
    }

    [Fact]
    public void Strict_export_of_a_function_rejects_its_graph_breaks_naming_the_function()
    {
        var e = Assert.Throws<GraphBreakException>(() => Export(Branchy, [Randn(3, 3)]));

        Assert.StartsWith("Dynamic control flow is not supported at the moment. Please use Torch.Cond to explicitly capture the control flow.", e.Message);
        Assert.Contains("in FunctionExportTests.Branchy\n    if (x.Sum() > 0)", e.Message);
    }

    [Fact]
    public void Wrong_example_arguments_name_the_function_and_its_parameters()
    {
        var few = Assert.Throws<ExportException>(() => Export(SinPlus, [Randn(3, 4)]));
        var lambda = Assert.Throws<ExportException>(() => Export((Tensor x) => x + 1, [Randn(3), Randn(3)]));
        Func<Tensor, Tensor> twice = Sin;
        twice += Cos;
        var multicast = Assert.Throws<ExportException>(() => Export(twice, [Randn(3)]));

        Assert.Equal("SinPlus(Tensor x, Tensor y) is missing an example value for parameter 'y' (position 1); 1 positional argument(s) were given.", few.Message);
        Assert.Equal("lambda in Wrong_example_arguments_name_the_function_and_its_parameters(Tensor x) takes 1 argument(s) but 2 were given. Pass one example value per parameter.", lambda.Message);
        Assert.Equal("Export traces one function, but the delegate combines 2 (Sin, Cos); export each on its own.", multicast.Message);
    }
}
