using Graphport.Operators;

namespace Graphport.Tests.Operators;

public class OpSchemaTests
{
    [Fact]
    public void Add_is_functional_and_add__is_mutable()
    {
        Assert.False(Torch.Ops["aten::add.Tensor"].Schema.IsMutable);
        Assert.True(Torch.Ops["aten::add_.Tensor"].Schema.IsMutable);
    }

    [Fact]
    public void Parses_arguments_defaults_kwarg_only_and_returns()
    {
        var s = OpSchema.Parse("addmm(Tensor self, Tensor mat1, Tensor mat2, *, Scalar beta=1, Scalar alpha=1) -> Tensor");
        Assert.Equal("aten::addmm", s.QualifiedName);
        Assert.Equal(["self", "mat1", "mat2", "beta", "alpha"], s.Arguments.Select(a => a.Name));
        Assert.True(s.Arguments[3].KwargOnly);
        Assert.Equal(1L, s.Arguments[4].Default);
        Assert.Single(s.Returns);
    }

    [Fact]
    public void Parses_alias_annotations_lists_and_optionals()
    {
        var s = OpSchema.Parse("split.Tensor(Tensor(a -> *) self, SymInt split_size, int dim=0) -> Tensor(a)[]");
        Assert.Equal("a", s.Arguments[0].Alias!.Set);
        Assert.False(s.Arguments[0].Alias!.IsWrite);
        Assert.True(s.Returns[0].Type.IsList);
        var pool = OpSchema.Parse("max_pool2d_with_indices(Tensor self, int[2] kernel_size, int[2] stride=[], int[2] padding=0, int[2] dilation=1, bool ceil_mode=False) -> (Tensor, Tensor)");
        Assert.Equal(2, pool.Arguments[1].Type.FixedSize);
        Assert.Equal(new long[] { 0, 0 }, pool.Arguments[3].Default);
        Assert.Equal(2, pool.Returns.Count);
        var index = OpSchema.Parse("index.Tensor(Tensor self, Tensor?[] indices) -> Tensor");
        Assert.True(index.Arguments[1].Type.ElementOptional);
        var mut = OpSchema.Parse("_native_batch_norm_legit(Tensor input, Tensor? weight, Tensor? bias, Tensor(a!) running_mean, Tensor(b!) running_var, bool training, float momentum, float eps) -> (Tensor, Tensor, Tensor)");
        Assert.True(mut.IsMutable);
        Assert.True(mut.Arguments[1].Type.IsOptional);
    }

    [Fact]
    public void Round_trips_to_text()
    {
        const string text = "aten::gelu(Tensor self, *, str approximate='none') -> Tensor";
        Assert.Equal(text, OpSchema.Parse(text).ToString());
    }

    [Theory]
    [InlineData("add.Tensor(Tensor self, Tensor other -> Tensor", "expected ')'")]
    [InlineData("(Tensor self) -> Tensor", "expected an operator name")]
    [InlineData("f(Tensor x, Tensor x) -> Tensor", "declares argument \"x\" twice")]
    public void Unparsable_schemas_name_the_position_and_the_problem(string text, string expected)
    {
        var e = Assert.Throws<FormatException>(() => OpSchema.Parse(text));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Unknown_op_names_suggest_existing_overloads()
    {
        var e = Assert.Throws<KeyNotFoundException>(() => Torch.Ops["aten::add.Nope"]);
        Assert.Contains("aten::add.Tensor", e.Message);
    }
}
