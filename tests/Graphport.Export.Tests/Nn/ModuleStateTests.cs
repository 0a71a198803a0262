using Graphport.Tests.TensorApi;
using static Graphport.Tests.TensorApi.Reference;

namespace Graphport.Tests.Nn;

/// <summary>How modules find their parameters, buffers and children, and the dotted names of the state dict.</summary>
public class ModuleStateTests
{
    private sealed class Head : Module<Tensor, Tensor>
    {
        private readonly Linear lin = new(4, 3);
        private readonly Parameter _scale = new(Torch.Ones(3));
        private readonly Buffer mask = new(Torch.Ones(3));
        private readonly Buffer scratch = new(Torch.Zeros(3), persistent: false);

        public Linear Lin => lin;

        public override Tensor Forward(Tensor x) => lin.Call(x) * _scale * mask + scratch;
    }

    private sealed class Net : Module<Tensor, Tensor>
    {
        private readonly Sequential layers = new(new Linear(4, 8), new ReLU(), new Linear(8, 4));
        private readonly ModuleList blocks = new(new Linear(4, 4), new LayerNorm(4));
        private readonly BatchNorm2d bn = new(2);

        public Head Head { get; } = new();

        public override Tensor Forward(Tensor x) => Head.Call(layers.Call(x));
    }

    [Fact]
    public void Fields_become_parameters_buffers_and_children_with_underscores_dropped()
    {
        var head = new Head();
        // As in torch, a module's own parameters come before its children's.
        Assert.Equal(["scale", "lin.weight", "lin.bias"], head.NamedParameters().Select(p => p.Name));
        Assert.Equal(["mask", "scratch"], head.NamedBuffers().Select(b => b.Name));
        Assert.Equal(["lin"], head.NamedChildren().Select(c => c.Name));
        Assert.Same(head.Lin.Weight, head.NamedParameters().Single(p => p.Name == "lin.weight").Value);
    }

    [Fact]
    public void The_state_dict_uses_dotted_paths_and_leaves_out_non_persistent_buffers()
    {
        var keys = new Net().StateDict().Keys.ToList();
        Assert.Equal(
            [
                "layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias",
                "blocks.0.weight", "blocks.0.bias", "blocks.1.weight", "blocks.1.bias",
                "bn.weight", "bn.bias", "bn.running_mean", "bn.running_var", "bn.num_batches_tracked",
                "Head.scale", "Head.mask", "Head.lin.weight", "Head.lin.bias",
            ],
            keys);
        Assert.DoesNotContain("Head.scratch", keys);
        Assert.Contains(("Head.scratch", true), new Net().NamedBuffers().Select(b => (b.Name, true)));
    }

    [Fact]
    public void The_state_dict_holds_the_live_parameters_not_copies()
    {
        var net = new Net();
        var state = net.StateDict();
        state["layers.0.bias"].Fill_(2.0);
        Assert.All(Values(net.StateDict()["layers.0.bias"]), v => Assert.Equal(2.0, v));
        Assert.Equal([8L, 4L], Sizes(state["layers.0.weight"]));
        Assert.Equal(DType.Int64, state["bn.num_batches_tracked"].DType);
    }

    [Fact]
    public void Named_modules_walks_the_tree_depth_first_with_paths()
    {
        var paths = new Net().NamedModules().Select(m => m.Path).ToList();
        Assert.Equal(["", "layers", "layers.0", "layers.1", "layers.2", "blocks", "blocks.0", "blocks.1", "bn", "Head", "Head.lin"], paths);
    }

    private sealed class Registered : Module<Tensor, Tensor>
    {
        public Registered()
        {
            RegisterParameter("alpha", new Parameter(Torch.Full([2], 0.5)));
            RegisterBuffer("steps", Torch.Zeros([1L], DType.Int64));
            RegisterBuffer("cache", Torch.Zeros(2), persistent: false);
            Proj = RegisterModule("proj", new Linear(2, 2));
        }

        public Linear Proj { get; }

        public static void RegisterBadName(Registered m) => m.RegisterBuffer("a.b", Torch.Zeros(1));

        public override Tensor Forward(Tensor x) => Proj.Call(x);
    }

    [Fact]
    public void Explicit_registration_adds_state_under_the_given_names()
    {
        var m = new Registered();
        // Proj's backing field holds the registered module too; the registered name is the one that counts.
        Assert.Equal(["alpha", "steps", "proj.weight", "proj.bias"], m.StateDict().Keys);
        Assert.Equal(["", "proj"], m.NamedModules().Select(x => x.Path));
        Assert.Equal(["steps", "cache"], m.NamedBuffers().Select(b => b.Name));
        Assert.Equal([0.5, 0.5], Values(m.StateDict()["alpha"]));
        Assert.Same(m.Proj.Weight, m.StateDict()["proj.weight"]);
    }

    [Fact]
    public void Registration_rejects_dotted_names()
    {
        var e = Assert.Throws<ArgumentException>(() => Registered.RegisterBadName(new Registered()));
        Assert.Contains("must not contain '.'", e.Message);
    }

    private sealed class Tied : Module<Tensor, Tensor>
    {
        private readonly Embedding embed = new(10, 4);
        private readonly Parameter projection;

        public Tied() => projection = embed.Weight;

        public override Tensor Forward(Tensor ids) => embed.Call(ids).Matmul(projection.T());
    }

    [Fact]
    public void A_parameter_shared_by_two_owners_is_one_parameter_but_has_both_state_dict_names()
    {
        var tied = new Tied();
        // torch lists the root's own name first and skips the duplicate.
        Assert.Equal(["projection"], tied.NamedParameters().Select(p => p.Name));
        var state = tied.StateDict();
        Assert.Equal(["projection", "embed.weight"], state.Keys);
        Assert.Same(state["projection"], state["embed.weight"]);
    }

    [Fact]
    public void Train_and_eval_propagate_to_every_descendant()
    {
        var net = new Net();
        Assert.All(net.NamedModules(), m => Assert.True(m.Module.Training));
        Assert.Same(net, net.Eval());
        Assert.All(net.NamedModules(), m => Assert.False(m.Module.Training));
        net.Train();
        Assert.All(net.NamedModules(), m => Assert.True(m.Module.Training));
        net.Train(false);
        Assert.All(net.NamedModules(), m => Assert.False(m.Module.Training));
    }

    private sealed class WithDropout : Module<Tensor, Tensor>
    {
        private readonly Sequential body = new(new Linear(8, 8), new Dropout(0.9));

        public override Tensor Forward(Tensor x) => body.Call(x);
    }

    [Fact]
    public void Eval_on_the_root_turns_off_nested_dropout()
    {
        var m = new WithDropout();
        var x = Reference.Random(1, [16, 8]);
        var training = Values(m.Call(x));
        m.Eval();
        var a = Values(m.Call(x));
        var b = Values(m.Call(x));
        Assert.Equal(a, b);
        Assert.True(training.Count(v => v == 0) > 64, "dropout(0.9) zeroes most outputs while training");
        Assert.True(a.Count(v => v == 0) < 4);
    }
}
