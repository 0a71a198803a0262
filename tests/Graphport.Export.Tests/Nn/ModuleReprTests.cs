namespace Graphport.Tests.Nn;

/// <summary>Module.ToString prints the tree the way torch's repr does.</summary>
public class ModuleReprTests
{
    private sealed class Block : Module<Tensor, Tensor>
    {
        private readonly Conv2d conv = new(3, 8, 3, padding: 1, hasBias: false);
        private readonly BatchNorm2d bn = new(8);
        private readonly Sequential head = new(new Flatten(), new Linear(8, 2), new Dropout(0.1));

        public override Tensor Forward(Tensor x) => head.Call(bn.Call(conv.Call(x)));
    }

    [Fact]
    public void A_nested_module_prints_children_indented_with_their_extra_repr()
    {
        Assert.Equal(
            "Block(\n" +
            "  (conv): Conv2d(3, 8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), bias=False)\n" +
            "  (bn): BatchNorm2d(8, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)\n" +
            "  (head): Sequential(\n" +
            "    (0): Flatten(start_dim=1, end_dim=-1)\n" +
            "    (1): Linear(in_features=8, out_features=2, bias=True)\n" +
            "    (2): Dropout(p=0.1, inplace=False)\n" +
            "  )\n" +
            ")",
            new Block().ToString());
    }

    [Fact]
    public void Sizes_of_several_dims_print_as_python_tuples_and_every_convolution_setting_away_from_its_default_is_shown()
    {
        Assert.Equal("LayerNorm((4, 8), eps=1e-05, elementwise_affine=True)", new LayerNorm([4, 8]).ToString());
        Assert.Equal("RMSNorm((4, 8), eps=None, elementwise_affine=True)", new RMSNorm([4, 8]).ToString());
        Assert.Equal("ConvTranspose1d(4, 2, kernel_size=(3,), stride=(2,), dilation=(2,))", new ConvTranspose1d(4, 2, 3, stride: 2, dilation: 2).ToString());
        Assert.Equal("Conv1d(4, 6, kernel_size=(3,), stride=(1,), padding=(1,), groups=2, bias=False)", new Conv1d(4, 6, 3, padding: 1, groups: 2, hasBias: false).ToString());
    }

    [Fact]
    public void Leaf_layers_print_like_torch()
    {
        Assert.Equal("Linear(in_features=4, out_features=3, bias=False)", new Linear(4, 3, hasBias: false).ToString());
        Assert.Equal("LayerNorm((16,), eps=1e-05, elementwise_affine=True)", new LayerNorm(16).ToString());
        Assert.Equal("GroupNorm(2, 8, eps=1e-05, affine=True)", new GroupNorm(2, 8).ToString());
        Assert.Equal("Embedding(10, 4, padding_idx=0)", new Embedding(10, 4, paddingIdx: 0).ToString());
        Assert.Equal("Conv2d(4, 4, kernel_size=(3, 3), stride=(2, 2), dilation=(2, 2), groups=4)", new Conv2d(4, 4, 3, stride: 2, dilation: 2, groups: 4).ToString());
        Assert.Equal("ConvTranspose2d(4, 2, kernel_size=(2, 2), stride=(2, 2))", new ConvTranspose2d(4, 2, 2, stride: 2).ToString());
        Assert.Equal("ReLU()", new ReLU().ToString());
        Assert.Equal("ReLU(inplace=True)", new ReLU(inplace: true).ToString());
        Assert.Equal("GELU(approximate='tanh')", new GELU("tanh").ToString());
        Assert.Equal("Softmax(dim=-1)", new Softmax(-1).ToString());
        Assert.Equal("MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)", new MaxPool2d(2).ToString());
        Assert.Equal("AvgPool2d(kernel_size=3, stride=1, padding=1)", new AvgPool2d(3, 1, 1).ToString());
        Assert.Equal("AdaptiveAvgPool2d(output_size=1)", new AdaptiveAvgPool2d(1).ToString());
        Assert.Equal("AdaptiveAvgPool2d(output_size=(2, 3))", new AdaptiveAvgPool2d(2, 3).ToString());
        Assert.Equal("Identity()", new Identity().ToString());
    }

    [Fact]
    public void A_module_list_prints_its_items_by_index()
    {
        var list = new ModuleList(new Linear(2, 2), new SiLU());
        Assert.Equal("ModuleList(\n  (0): Linear(in_features=2, out_features=2, bias=True)\n  (1): SiLU()\n)", list.ToString());
    }
}
