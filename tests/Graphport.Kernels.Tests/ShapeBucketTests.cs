using Graphport.Kernels.Backends;
using Graphport.Kernels.Planning;

namespace Graphport.Kernels.Tests;

public class ShapeBucketTests
{
    private static ShapeBinding Batch(long b) => new(new Dictionary<string, long> { ["s0"] = b });

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 4)]
    [InlineData(32, 32)]
    [InlineData(33, 64)]
    [InlineData(1000, 1024)]
    public void Power_of_two_buckets_round_the_batch_up_within_its_range(long batch, long bucket)
    {
        var selector = new ShapeBucketSelector(BucketPolicy.PowerOfTwoBatch, "s0", 1024);
        Assert.Equal(Batch(bucket), selector.BucketFor(Batch(batch)));
    }

    [Fact]
    public void The_range_maximum_caps_the_bucket_even_when_not_a_power_of_two()
    {
        var selector = new ShapeBucketSelector(BucketPolicy.PowerOfTwoBatch, "s0", 48);
        Assert.Equal(Batch(48), selector.BucketFor(Batch(40)));
    }

    [Fact]
    public void Exact_buckets_are_the_sizes_themselves()
    {
        var selector = new ShapeBucketSelector(BucketPolicy.Exact, "s0", 1024);
        Assert.Equal(Batch(3), selector.BucketFor(Batch(3)));
    }

    [Fact]
    public void The_least_recently_used_bucket_is_evicted_beyond_capacity()
    {
        var selector = new ShapeBucketSelector(BucketPolicy.Exact, "s0", 1024, capacity: 2);
        Assert.Null(selector.Touch(Batch(1)));
        Assert.Null(selector.Touch(Batch(2)));
        Assert.Null(selector.Touch(Batch(1)));
        Assert.Equal(Batch(2), selector.Touch(Batch(3)));
        Assert.Equal([Batch(3), Batch(1)], selector.Buckets);
    }

    [Fact]
    public void Padding_to_a_bucket_and_slicing_back_gives_the_unpadded_result()
    {
        Torch.ManualSeed(4);
        var model = Zoo.ModelZoo.Get("mlp");
        var (_, program) = model.Export(2);
        var inputs = model.ExampleInputs(3).Cast<Tensor>().ToArray();
        var padded = BatchPadding.Pad(program, inputs, Batch(3), Batch(4));
        Assert.Equal([4L, 784L], padded[0].Shape.ToLongs());
        var outputs = new CpuBackend().Compile(program).Run(padded);
        var sliced = (Tensor)BatchPadding.Slice(program, outputs, Batch(3), Batch(4))[0]!;
        var expected = program.Module().Call(inputs.Cast<object?>().ToArray());
        Assert.True((sliced - expected).Abs().Max().Item() < 1e-6);
    }
}
