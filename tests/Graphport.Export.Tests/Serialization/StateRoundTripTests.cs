using Graphport.Graphs;
using Graphport.Tests.Exporting;
using static Graphport.Torch;
using static Graphport.Tests.Serialization.TutorialRoundTripTests;

namespace Graphport.Tests.Serialization;

/// <summary>Parameters, buffers, constants and mutations survive bit for bit; containers keep their C# types.</summary>
public class StateRoundTripTests
{
    [Fact]
    public void Buffer_mutations_round_trip_and_the_loaded_module_updates_its_buffer()
    {
        var ep = Export(new Counter(), [Ones(3)]);
        var loaded = RoundTrip.AssertExact(ep, () => [Ones(3)]);
        var m = loaded.Module();
        m.Call(Ones(3));
        Assert.True(m.Call(Ones(3)).AllClose(Full([3], 2.0), 0, 0));
        Assert.Equal(2, m.StateDict["calls"].Item());
    }

    [Fact]
    public void Lifted_constants_are_stored_with_the_constants()
    {
        ManualSeed(42);
        var ep = Export(new WithConstant(), [Randn(2, 3)]);
        var loaded = RoundTrip.AssertExact(ep, Inputs(43, [2, 3]));
        Assert.Equal(["lifted_tensor_0"], loaded.Constants.Keys);
        Assert.Empty(loaded.StateDict);
    }

    [Fact]
    public void Writes_into_user_inputs_round_trip_as_input_mutations()
    {
        ManualSeed(44);
        var ep = Export(new WritesInput(), [Randn(3, 4)]);
        RoundTrip.AssertExact(ep, Inputs(45, [3, 4]));
        var loaded = RoundTrip.SaveAndLoad(ep);
        ManualSeed(46);
        var x = Randn(3, 4);
        var y = x.Clone();
        ep.Module().Call(x);
        loaded.Module().Call(y);
        Assert.True(x.AllClose(y, 0, 0));
    }

    [Fact]
    public void Batch_norm_in_training_mode_round_trips_its_running_stat_updates()
    {
        ManualSeed(47);
        var ep = Export(new BatchNorm2d(3), [Randn(4, 3, 5, 5)]);
        var loaded = RoundTrip.AssertExact(ep, Inputs(48, [4, 3, 5, 5]));
        var (a, b) = (ep.Module(), loaded.Module());
        ManualSeed(49);
        var x = Randn(4, 3, 5, 5);
        a.Call(x);
        b.Call(x);
        foreach (var name in new[] { "running_mean", "running_var", "num_batches_tracked" })
            Assert.True(a.StateDict[name].AllClose(b.StateDict[name], 0, 0), name);
    }

    [Fact]
    public void Unread_outputs_of_a_multi_output_op_get_no_getitem_node_after_loading()
    {
        ManualSeed(52);
        var bn = new BatchNorm2d(3);
        bn.Eval();
        var ep = Export(bn, [Randn(4, 3, 5, 5)]);
        var loaded = RoundTrip.AssertExact(ep, Inputs(53, [4, 3, 5, 5]));
        Assert.Single(loaded.Graph.Nodes, n => n.Target is BuiltinTarget { Name: "operator.getitem" });
    }

    [Fact]
    public void Lists_in_and_tuples_out_keep_their_types()
    {
        ManualSeed(54);
        var ep = Export(new ListIn(), [new[] { Randn(2, 2), Randn(2, 2) }]);
        var loaded = RoundTrip.AssertExact(ep, () => { ManualSeed(55); return [new[] { Randn(2, 2), Randn(2, 2) }]; });
        var result = loaded.Module().Invoke(new object?[] { new[] { Ones(2, 2), Ones(2, 2) } });
        Assert.IsType<(Tensor, Tensor)>(result);
    }

    [Fact]
    public void Dictionaries_in_and_out_keep_their_keys_and_types()
    {
        ManualSeed(56);
        var ep = Export(new DictInDictOut(), [new Dictionary<string, Tensor> { ["a"] = Randn(3), ["b"] = Randn(3) }]);
        var loaded = RoundTrip.AssertExact(ep, () => { ManualSeed(57); return [new Dictionary<string, Tensor> { ["a"] = Randn(3), ["b"] = Randn(3) }]; });
        var result = Assert.IsType<Dictionary<string, Tensor>>(loaded.Module().Invoke(new Dictionary<string, Tensor> { ["a"] = Ones(3), ["b"] = Ones(3) }));
        Assert.Equal(["sum", "product"], result.Keys);
    }

    [Fact]
    public void Tuples_in_and_lists_out_keep_their_types()
    {
        ManualSeed(58);
        var ep = Export(new TupleInListOut(), [(Randn(2), Randn(2))]);
        var loaded = RoundTrip.AssertExact(ep, () => { ManualSeed(59); return [(Randn(2), Randn(2))]; });
        Assert.IsType<List<Tensor>>(loaded.Module().Invoke((Ones(2), Ones(2))));
    }

    [Fact]
    public void Buffers_of_every_dtype_are_stored_bit_for_bit()
    {
        var ep = Export(new BuffersOfEveryDType(), [Randn(4)]);
        var loaded = RoundTrip.AssertExact(ep, Inputs(60, [4]));
        Assert.Equal([DType.Float64, DType.Float16, DType.BFloat16, DType.Int64, DType.Int32, DType.Int8, DType.UInt8, DType.Bool],
            loaded.StateDict.Values.Select(t => t.DType));
    }

    [Fact]
    public void Tensors_sharing_a_storage_still_share_it_after_loading()
    {
        var ep = Export(new AliasedBuffers(), [Randn(3)]);
        var loaded = RoundTrip.AssertExact(ep, Inputs(61, [3]));
        Assert.Same(loaded.StateDict["table"].Storage, loaded.StateDict["row"].Storage);
        Assert.Equal(6, loaded.StateDict["row"].StorageOffset);
    }

    [Fact]
    public void Non_persistent_buffers_come_back_into_the_state_dict_as_non_persistent()
    {
        var ep = Export(new ScaledByTransientBuffer(), [Randn(3)]);
        var loaded = RoundTrip.AssertExact(ep, Inputs(62, [3]));
        Assert.False(Assert.IsType<Buffer>(loaded.StateDict["scale"]).Persistent);
        Assert.IsType<Parameter>(loaded.StateDict["bias"]);
    }

    [Fact]
    public void Arguments_of_every_kind_and_multi_output_ops_round_trip()
    {
        ManualSeed(63);
        var ep = Export(new ManyArgumentKinds(), [Randn(3, 2), Randn(3, 4)]);
        var loaded = RoundTrip.AssertExact(ep, Inputs(64, [3, 2], [3, 4]), Inputs(65, [3, 2], [3, 4]));
        Assert.Equal(2, loaded.Graph.Nodes.Count(n => n.Target is BuiltinTarget { Name: "operator.getitem" }));
        Assert.Contains(loaded.Graph.Nodes, n => n.Op?.Target == "aten.max.dim");
    }
}
