using Graphport.Onnx;
using static Graphport.Tests.Onnx.OrtComparison;

namespace Graphport.Tests.Onnx;

/// <summary>
/// Einsum lowered to ATen (diagonal, sum, permute, reshape, mm/bmm, mul) as torch's einsum decomposition does:
/// contractions, transposes, diagonals, reductions, implicit outputs, ellipsis broadcasting and symbolic batch
/// dims, each against ONNX Runtime; malformed equations are refused naming the node and the problem.
/// </summary>
public class EinsumOpTests
{
    [Fact]
    public void Batched_matmul_is_one_bmm()
    {
        var model = EinsumModel("bij,bjk->bik", [2, 3, 4], [2, 4, 5], [2, 3, 5]);
        AssertEinsumMatchesOrt(model, seed: 401, [2, 3, 4], [2, 4, 5]);
        var program = Import(model);
        Assert.Single(program.Graph.Nodes, n => Target(n) == "aten.bmm.default");
        Assert.DoesNotContain(program.Graph.Nodes, n => Target(n) is "aten.permute.default" or "aten.view.default");
    }

    [Fact]
    public void Attention_scores_contract_the_head_dim_with_a_bmm()
    {
        var model = EinsumModel("bhqd,bhkd->bhqk", [2, 3, 4, 5], [2, 3, 6, 5], [2, 3, 4, 6]);
        AssertEinsumMatchesOrt(model, seed: 402, [2, 3, 4, 5], [2, 3, 6, 5]);
        Assert.Single(Import(model).Graph.Nodes, n => Target(n) == "aten.bmm.default");
    }

    [Fact]
    public void A_matrix_product_without_batch_labels_is_an_mm()
    {
        var model = EinsumModel("ij,jk->ik", [3, 4], [4, 5], [3, 5]);
        AssertEinsumMatchesOrt(model, seed: 403, [3, 4], [4, 5]);
        Assert.Single(Import(model).Graph.Nodes, n => Target(n) == "aten.mm.default");
    }

    [Fact]
    public void Transpose_is_a_permute()
    {
        var model = EinsumModel("ij->ji", [3, 4], null, [4, 3]);
        AssertEinsumMatchesOrt(model, seed: 404, [3, 4]);
        Assert.Single(Import(model).Graph.Nodes, n => Target(n) == "aten.permute.default");
    }

    [Fact]
    public void A_repeated_label_with_the_label_kept_reads_the_diagonal()
    {
        var model = EinsumModel("ii->i", [4, 4], null, [4]);
        AssertEinsumMatchesOrt(model, seed: 405, [4, 4]);
        Assert.Single(Import(model).Graph.Nodes, n => Target(n) == "aten.diagonal.default");
    }

    [Fact]
    public void A_repeated_label_in_implicit_form_is_the_trace()
    {
        var model = EinsumModel("ii", [4, 4], null, []);
        AssertEinsumMatchesOrt(model, seed: 406, [4, 4]);
    }

    [Fact]
    public void An_empty_output_sums_every_element()
    {
        var model = EinsumModel("ij->", [3, 4], null, []);
        AssertEinsumMatchesOrt(model, seed: 407, [3, 4]);
    }

    [Fact]
    public void The_outer_product_is_a_broadcast_multiply()
    {
        var model = EinsumModel("i,j->ij", [3], [4], [3, 4]);
        AssertEinsumMatchesOrt(model, seed: 408, [3], [4]);
        var program = Import(model);
        Assert.Single(program.Graph.Nodes, n => Target(n) == "aten.mul.Tensor");
        Assert.DoesNotContain(program.Graph.Nodes, n => Target(n) is "aten.mm.default" or "aten.bmm.default");
    }

    [Fact]
    public void An_implicit_output_keeps_the_labels_used_once_in_alphabetical_order()
    {
        // "kj,ji" implies "->ik": the output is the transposed product.
        var model = EinsumModel("kj,ji", [3, 4], [4, 5], [5, 3]);
        AssertEinsumMatchesOrt(model, seed: 409, [3, 4], [4, 5]);
    }

    [Fact]
    public void Ellipsis_dims_of_size_one_broadcast_against_the_other_operand()
    {
        var model = EinsumModel("...ij,...jk->...ik", [2, 1, 3, 4], [1, 3, 4, 5], [2, 3, 3, 5]);
        AssertEinsumMatchesOrt(model, seed: 410, [2, 1, 3, 4], [1, 3, 4, 5]);
    }

    [Fact]
    public void Ellipses_covering_fewer_dims_broadcast_from_the_right_as_numpy_does()
    {
        // ONNX asks every "..." to cover as many dims, and ONNX Runtime refuses [2, 1] against [3]; Graphport follows
        // numpy and torch there, checked against ONNX Runtime on the same inputs with the shorter one unsqueezed.
        var uneven = EinsumModel("...ij,...jk->...ik", [2, 1, 3, 4], [3, 4, 5], [2, 3, 3, 5]);
        var even = new OnnxModelBuilder(17)
            .Input("a", ElemType.Float, 2, 1, 3, 4)
            .Input("b", ElemType.Float, 3, 4, 5)
            .Initializer("axes", [0L], 1)
            .Node("Unsqueeze", ["b", "axes"], ["b1"])
            .Node("Einsum", ["a", "b1"], ["y"], OnnxAttr.String("equation", "...ij,...jk->...ik"))
            .Output("y", ElemType.Float, [2, 3, 3, 5])
            .Build();
        var random = new Random(411);
        AssertRunMatchesOrt(Import(uneven).Module(), even,
            [ModelInput.Floats("a", random, [2, 1, 3, 4]), ModelInput.Floats("b", random, [3, 4, 5])], Tolerance.Float32);
    }

    [Fact]
    public void A_labelled_dim_of_size_one_broadcasts_against_the_other_operand()
    {
        var model = EinsumModel("ij,jk->ik", [3, 1], [4, 5], [3, 5]);
        AssertEinsumMatchesOrt(model, seed: 415, [3, 1], [4, 5]);
    }

    [Fact]
    public void A_repeated_label_after_an_ellipsis_reads_a_batch_of_diagonals()
    {
        var model = EinsumModel("...ii->...i", [2, 3, 4, 4], null, [2, 3, 4]);
        AssertEinsumMatchesOrt(model, seed: 416, [2, 3, 4, 4]);
    }

    [Fact]
    public void A_dot_product_contracts_two_vectors_to_a_scalar()
    {
        var model = EinsumModel("i,i", [5], [5], []);
        AssertEinsumMatchesOrt(model, seed: 417, [5], [5]);
    }

    [Fact]
    public void Integer_operands_keep_their_type_through_the_sums()
    {
        var model = new OnnxModelBuilder(17)
            .Input("a", ElemType.Int64, 3, 4)
            .Input("b", ElemType.Int64, 4, 5)
            .Node("Einsum", ["a", "b"], ["y"], OnnxAttr.String("equation", "ij,jk->i"))
            .Output("y", ElemType.Int64, [3])
            .Build();
        var random = new Random(418);
        AssertMatchesOrt(model, ModelInput.Longs("a", random, [3, 4], -5, 5), ModelInput.Longs("b", random, [4, 5], -5, 5));
    }

    [Fact]
    public void Three_operands_contract_left_to_right()
    {
        var model = new OnnxModelBuilder(17)
            .Input("a", ElemType.Float, 2, 3)
            .Input("b", ElemType.Float, 3, 4)
            .Input("c", ElemType.Float, 4, 5)
            .Node("Einsum", ["a", "b", "c"], ["y"], OnnxAttr.String("equation", "ij,jk,kl->il"))
            .Output("y", ElemType.Float, [2, 5])
            .Build();
        var random = new Random(412);
        AssertMatchesOrt(model, ModelInput.Floats("a", random, [2, 3]), ModelInput.Floats("b", random, [3, 4]), ModelInput.Floats("c", random, [4, 5]));
        Assert.Equal(2, Import(model).Graph.Nodes.Count(n => Target(n) == "aten.mm.default"));
    }

    [Fact]
    public void A_label_only_one_operand_uses_is_summed_before_the_product()
    {
        var model = EinsumModel("ij,jk->i", [3, 4], [4, 5], [3]);
        AssertEinsumMatchesOrt(model, seed: 413, [3, 4], [4, 5]);
        Assert.Contains(Import(model).Graph.Nodes, n => Target(n) == "aten.sum.dim_IntList");
    }

    [Fact]
    public void Symbolic_batch_and_sequence_dims_stay_symbolic_through_the_reshapes()
    {
        var model = new OnnxModelBuilder(17)
            .Input("q", ElemType.Float, "batch", 2, "sequence", 4)
            .Input("k", ElemType.Float, "batch", 2, "sequence", 4)
            .Node("Einsum", ["q", "k"], ["scores"], OnnxAttr.String("equation", "bhqd,bhkd->bhqk"))
            .Output("scores", ElemType.Float, ["batch", 2, "sequence", "sequence"])
            .Build();
        var module = Import(model, new OnnxImportOptions { DimSizes = { ["batch"] = 2, ["sequence"] = 5 } }).Module();
        var random = new Random(414);
        foreach (var (batch, sequence) in new[] { (3L, 7L), (4L, 6L) })
            AssertRunMatchesOrt(module, model,
                [ModelInput.Floats("q", random, [batch, 2, sequence, 4]), ModelInput.Floats("k", random, [batch, 2, sequence, 4])],
                Tolerance.Float32, $"batch {batch}, sequence {sequence}");
    }

    [Theory]
    [InlineData("ij,jk->ik->i", "more than one '->'")]
    [InlineData("ij,j1->i", "the character '1'")]
    [InlineData("ij,j.k->ik", "'.' that is not part of '...'")]
    [InlineData("...i...,jk->k", "more than one '...'")]
    [InlineData("ij,jk->iz", "output label 'z', which no input term uses")]
    [InlineData("ij,jk->ii", "repeats the output label 'i'")]
    [InlineData("ijk,jk->i", "input 0's term 'ijk' with 3 label(s), but input 0 has 2 dim(s)")]
    [InlineData("ij->i", "1 input term(s) but the node has 2 input(s)")]
    [InlineData("...j,jk->k", "no '...' in its output")]
    [InlineData("ij,ik->jk", "gives the label 'i' size 2 in input 0 and size 3 in input 1")]
    [InlineData("", "is empty")]
    public void A_malformed_equation_is_refused_naming_the_node_and_the_problem(string equation, string problem)
    {
        var model = new OnnxModelBuilder(17)
            .Input("a", ElemType.Float, 2, 3)
            .Input("b", ElemType.Float, 3, 4)
            .NamedNode("my_einsum", "Einsum", ["a", "b"], ["y"], OnnxAttr.String("equation", equation))
            .Output("y", ElemType.Float)
            .Build();
        var e = Assert.Throws<OnnxImportException>(() => Import(model));
        Assert.Contains("'my_einsum' (Einsum)", e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void A_diagonal_over_unequal_dims_is_refused()
    {
        var model = new OnnxModelBuilder(17)
            .Input("a", ElemType.Float, 2, 3)
            .NamedNode("diag", "Einsum", ["a"], ["y"], OnnxAttr.String("equation", "ii->i"))
            .Output("y", ElemType.Float)
            .Build();
        var e = Assert.Throws<OnnxImportException>(() => Import(model));
        Assert.Contains("'diag' (Einsum)", e.Message);
        Assert.Contains("repeats the label 'i' in input 0 over dims of sizes 2 and 3", e.Message);
    }

    [Fact]
    public void A_missing_equation_is_refused()
    {
        var model = new OnnxModelBuilder(17)
            .Input("a", ElemType.Float, 2, 3)
            .NamedNode("no_equation", "Einsum", ["a"], ["y"])
            .Output("y", ElemType.Float)
            .Build();
        var e = Assert.Throws<OnnxImportException>(() => Import(model));
        Assert.Contains("'no_equation' (Einsum) has no 'equation' attribute", e.Message);
    }

    /// <summary>One Einsum node over inputs a (and b, when its shape is given).</summary>
    private static byte[] EinsumModel(string equation, long[] a, long[]? b, long[] y)
    {
        var builder = new OnnxModelBuilder(17).Input("a", ElemType.Float, a.Cast<object?>().ToArray());
        if (b is not null) builder.Input("b", ElemType.Float, b.Cast<object?>().ToArray());
        return builder
            .Node("Einsum", b is null ? ["a"] : ["a", "b"], ["y"], OnnxAttr.String("equation", equation))
            .Output("y", ElemType.Float, y.Cast<object?>().ToArray())
            .Build();
    }

    private static void AssertEinsumMatchesOrt(byte[] model, int seed, long[] a, long[]? b = null)
    {
        var random = new Random(seed);
        ModelInput[] inputs = b is null
            ? [ModelInput.Floats("a", random, a)]
            : [ModelInput.Floats("a", random, a), ModelInput.Floats("b", random, b)];
        AssertMatchesOrt(model, inputs, Tolerance.Float32);
    }

    private static string? Target(Graphs.Node node) => node.Op?.Target;
}
