namespace Graphport.Tests.TensorApi;

/// <summary>Bad inputs fail early with torch's wording, naming the shapes, dims and dtypes involved.</summary>
public class ErrorMessageTests
{
    private static string Fails(Action action) => Assert.ThrowsAny<Exception>(action).Message;

    [Fact]
    public void Broadcasting_mismatch_names_both_sizes()
    {
        var message = Fails(() => _ = Torch.Zeros(4, 3) * Torch.Zeros(4));
        Assert.Contains("The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1", message);
    }

    [Fact]
    public void Linear_layer_with_the_wrong_input_width_names_both_shapes()
    {
        var message = Fails(() => new Linear(5, 3).Call(Torch.Zeros(2, 4)));
        Assert.Contains("mat1 and mat2 shapes cannot be multiplied (2x4 and 5x3)", message);
    }

    [Fact]
    public void Bool_arithmetic_that_torch_forbids()
    {
        var b = Torch.Tensor(new[] { true, false });
        Assert.Contains("Subtraction, the `-` operator, with two bool tensors is not supported", Fails(() => _ = b - b));
        Assert.Contains("Negation, the `-` operator, on a bool tensor is not supported", Fails(() => _ = -b));
    }

    [Fact]
    public void Bitwise_ops_on_floats_are_not_implemented()
    {
        var f = Torch.Ones(2);
        Assert.Contains("\"bitwise_and_cpu\" not implemented for 'Float'", Fails(() => _ = f & f));
    }

    [Fact]
    public void Index_out_of_range_names_the_index_the_size_and_the_dim()
    {
        var x = Torch.Zeros(3, 4);
        Assert.Contains("index 5 out of range for tensor of size [3, 4] at dimension 1", Fails(() => x.Select(1, 5)));
        Assert.Contains("index 5 out of range for tensor of size [4] at dimension 0", Fails(() => _ = x[0, 5]));
        Assert.Contains("index -4 out of range", Fails(() => _ = x[-4]));
        Assert.Contains("Dimension out of range (expected to be in range of [-2, 1], but got -3)", Fails(() => x.Select(-3, 0)));
    }

    [Fact]
    public void Index_select_and_gather_check_their_index_tensors()
    {
        var x = Torch.Zeros(3, 4);
        Assert.Contains("Expected dtype int32/int64 for index", Fails(() => x.IndexSelect(0, Torch.Zeros(2))));
        Assert.Contains("Expected dtype int64 for index", Fails(() => x.Gather(0, Torch.Zeros(2, 2))));
    }

    [Fact]
    public void Shape_requests_that_cannot_be_satisfied()
    {
        var x = Torch.Zeros(2, 6);
        Assert.Contains("only one dimension can be inferred", Fails(() => x.View(-1, -1)));
        Assert.Contains("shape '[5, -1]' is invalid for input of size 12", Fails(() => x.Reshape(5, -1)));
        Assert.Contains("the number of sizes provided (1) must be greater or equal to the number of dimensions in the tensor (2)", Fails(() => x.Expand(6)));
        Assert.Contains("number of dimensions in the tensor input does not match the length of the desired ordering of dimensions", Fails(() => x.Permute(1, 0, 2)));
        Assert.Contains("start_dim cannot come after end_dim", Fails(() => Torch.Zeros(2, 3, 4).Flatten(2, 1)));
    }

    [Fact]
    public void Empty_tensor_lists_are_rejected()
    {
        Assert.Contains("expected a non-empty list of Tensors", Fails(() => Torch.Cat(Array.Empty<Tensor>())));
        Assert.Contains("stack expects a non-empty TensorList", Fails(() => Torch.Stack(Array.Empty<Tensor>())));
    }

    [Fact]
    public void Dtype_mismatches_in_ops_that_need_equal_dtypes()
    {
        var f32 = Torch.Zeros(2, 2);
        var f64 = Torch.Zeros([2L, 2L], DType.Float64);
        Assert.Contains("expected m1 and m2 to have the same dtype", Fails(() => f32.Unsqueeze(0).Bmm(f64.Unsqueeze(0))));
        Assert.Contains("expected m1 and m2 to have the same dtype", Fails(() => Functional.Linear(f32, f64)));
        Assert.Contains("Input type (Float) and weight type (Double) should be the same", Fails(() => Functional.Conv2d(Torch.Zeros(1, 1, 3, 3), Torch.Zeros([1L, 1, 2, 2], DType.Float64))));
    }

    [Fact]
    public void A_number_cannot_take_a_non_pointwise_ops_tensor_argument()
    {
        var message = Fails(() => Torch.Ops["aten::mm"].Call(Torch.Zeros(2, 2), 1.0));
        Assert.Contains("aten::mm(): argument 'mat2' must be Tensor", message);
    }

    [Fact]
    public void Bool_of_a_multi_element_tensor_is_ambiguous()
    {
        var message = Fails(() => { if (Torch.Ones(3) > 0.0) { } });
        Assert.Contains("Boolean value of Tensor with more than one value is ambiguous", message);
    }

    [Fact]
    public void Null_operands_are_reported_as_such()
    {
        Tensor? missing = null;
        Assert.Throws<ArgumentNullException>(() => _ = Torch.Ones(2) + missing!);
    }
}
