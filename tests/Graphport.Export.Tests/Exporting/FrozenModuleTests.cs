using static Graphport.Torch;
using F = Graphport.Functional;

namespace Graphport.Tests.Exporting;

/// <summary>
/// ExportedModule.Freeze: an inference module whose weights are constants folds each batch norm into the
/// convolution before it, computes what the unfrozen module computes (up to float rounding), and folds nothing
/// that changes between calls or that another op also reads.
/// </summary>
public class FrozenModuleTests
{
    private sealed class ConvBnStack : Module<Tensor, Tensor>
    {
        private readonly Conv2d c1 = new(3, 8, 3, padding: 1);
        private readonly BatchNorm2d b1 = new(8);
        private readonly Conv2d c2 = new(8, 6, 3, stride: 2, padding: 1, hasBias: false);
        private readonly BatchNorm2d b2 = new(6);

        public override Tensor Forward(Tensor x) => F.Relu(b2.Call(c2.Call(F.Relu(b1.Call(c1.Call(x))))));
    }

    // A DB text detector's head as ONNX exporters write it: a transposed convolution without a bias of its own, its
    // bias added by an add of a [C, 1, 1] constant, a batch norm, a ReLU; a grouped one with a batch norm; then one to a
    // single channel with a number added before the sigmoid.
    private sealed class TransposedHead : Module<Tensor, Tensor>
    {
        private readonly ConvTranspose2d up = new(6, 8, 2, stride: 2, hasBias: false);
        private readonly Parameter upBias = new(Randn(8, 1, 1));
        private readonly BatchNorm2d n1 = new(8);
        private readonly ConvTranspose2d grouped = new(8, 4, 2, stride: 2, groups: 2);
        private readonly BatchNorm2d n2 = new(4);
        private readonly ConvTranspose2d last = new(4, 1, 2, stride: 2);

        public override Tensor Forward(Tensor x)
        {
            var y = F.Relu(n1.Call(up.Call(x) + upBias));
            y = F.Relu(n2.Call(grouped.Call(y)));
            return F.Sigmoid(last.Call(y) + 0.25);
        }
    }

    // Squeeze-and-excitation gates applied as residuals, as PP-OCRv4 detection's feature pyramid writes them:
    // x + x·hardsigmoid(conv(relu(conv(mean(x))))), once with the product first; and once where the product has a
    // second reader, which must stay as written.
    private sealed class GatedResiduals : Module<Tensor, (Tensor, Tensor)>
    {
        private readonly Conv2d conv = new(3, 8, 3, padding: 1);
        private readonly Conv2d squeeze = new(8, 2, 1);
        private readonly Conv2d excite = new(2, 8, 1);

        private Tensor Gate(Tensor x) => F.Hardsigmoid(excite.Call(F.Relu(squeeze.Call(x.Mean([2, 3], keepdim: true)))));

        public override (Tensor, Tensor) Forward(Tensor input)
        {
            var x = conv.Call(input);
            var y = x + x * Gate(x);
            var z = y * Gate(y) + y;
            var shared = z * Gate(z);
            return (z + shared, shared);
        }
    }

    private sealed class SharedConvolution : Module<Tensor, Tensor>
    {
        private readonly Conv2d conv = new(3, 4, 3, padding: 1);
        private readonly BatchNorm2d norm = new(4);

        public override Tensor Forward(Tensor x)
        {
            var y = conv.Call(x);
            return norm.Call(y) + y;
        }
    }

    // Statistics the program itself updates after reading them: the batch norm reads the buffer as it came in, and
    // that differs on every call, so nothing may be computed from it once.
    private sealed class DriftingStatistics : Module<Tensor, Tensor>
    {
        private readonly Conv2d conv = new(3, 4, 1);
        private readonly Buffer mean = new(Zeros(4));
        private readonly Buffer variance = new(Ones(4));

        public override Tensor Forward(Tensor x)
        {
            var y = F.BatchNorm(conv.Call(x), mean, variance);
            mean.Add_(0.5);
            return y;
        }
    }

    private sealed class Perceptron : Module<Tensor, Tensor>
    {
        private readonly Linear l1 = new(20, 64);
        private readonly Linear l2 = new(64, 48, hasBias: false);
        private readonly Linear l3 = new(48, 5);

        public override Tensor Forward(Tensor x) => l3.Call(F.Relu(l2.Call(F.Relu(l1.Call(x))))) + x.Matmul(ColumnSums);

        // A constant that is not a parameter: products with it are packed too.
        private static readonly Tensor ColumnSums = Ones(20, 5);
    }

    // ONNX's MatMul + Add: a product with a weight, then a bias row added to it.
    private sealed class MatMulAdd : Module<Tensor, Tensor>
    {
        private readonly Parameter weight = new(Randn(16, 300));
        private readonly Parameter bias = new(Randn(300));
        private readonly Parameter second = new(Randn(300, 7));

        public override Tensor Forward(Tensor x)
        {
            var hidden = bias + x.Matmul(weight);
            return F.Relu(hidden).Matmul(second);
        }
    }

    // HardSwish as ONNX exporters write it, after a convolution, twice.
    private sealed class SpelledOutHardswish : Module<Tensor, Tensor>
    {
        private readonly Conv2d conv = new(3, 8, 3, padding: 1);

        private static Tensor Hardswish(Tensor x) => x * (x + 3).Clamp(0, 6) / 6;

        public override Tensor Forward(Tensor x) => Hardswish(conv.Call(Hardswish(x)));
    }

    // PaddleOCR's learnable affine blocks: a number multiplied and one added after a convolution (or after its batch
    // norm), here also as a sub and a div.
    private sealed class ConvolutionAffines : Module<Tensor, Tensor>
    {
        private readonly Conv2d c1 = new(3, 8, 3, padding: 1);
        private readonly Conv2d c2 = new(8, 6, 1, hasBias: false);
        private readonly BatchNorm2d b2 = new(6);

        public override Tensor Forward(Tensor x) => (b2.Call(c2.Call(F.Relu(c1.Call(x) * 0.94 + 0.5))) - 0.25) / 1.5;
    }

    // Elementwise functions of one tensor one after another, and a value in the middle that a second op also reads.
    private sealed class ElementwiseChains : Module<Tensor, Tensor>
    {
        public override Tensor Forward(Tensor x)
        {
            var a = F.Sigmoid(F.Relu6((x * 1.7 + 0.3).Clamp(-2.0, null)) / 3) * 2 - 1;
            var b = (x - 0.5).Relu();
            return a + F.Hardtanh(b * 3) + b.Tanh();
        }
    }

    // A keyword spotter's head (openWakeWord's): a ReLU after each of two linear layers and a sigmoid after the last,
    // each elementwise op alone between products.
    private sealed class SmallClassifier : Module<Tensor, Tensor>
    {
        private readonly Linear l1 = new(96, 32);
        private readonly Linear l2 = new(32, 32);
        private readonly Linear l3 = new(32, 1);

        public override Tensor Forward(Tensor x) => F.Sigmoid(l3.Call(F.Relu(l2.Call(F.Relu(l1.Call(x))))));
    }

    // Layer norm and the exact GELU as ONNX exporters write them (BERT's encoder layer), and the same spellings where
    // they must not be fused: a weight that is an input, not a constant; a mean that another op also reads; a mean
    // over a leading dim.
    // Asymmetric pads as ONNX importers write them (ResNet's): pads of 1 before and 0 after in front of a 7×7 stride-2
    // stem, of −inf in front of a max pool, and of zeros in front of a stride-2 convolution without padding.
    private sealed class ImportedPads : Module<Tensor, Tensor>
    {
        private readonly Conv2d stem = new(3, 8, 7, stride: 2, padding: 2, hasBias: false);
        private readonly BatchNorm2d norm = new(8);
        private readonly Conv2d down = new(8, 6, 3, stride: 2);

        public override Tensor Forward(Tensor x)
        {
            var y = F.Relu(norm.Call(stem.Call(F.Pad(x, [1, 0, 1, 0]))));
            y = F.MaxPool2d(F.Pad(y, [1, 0, 1, 0], value: double.NegativeInfinity), [3, 3], [2, 2]);
            return down.Call(F.Pad(y, [1, 0, 1, 0]));
        }
    }

    // Pads that must stay: one that would make the convolution's output larger, one with more after than before, one
    // of ones, one also read by the add, and one over the channels.
    private sealed class PadsThatStay : Module<Tensor, Tensor>
    {
        private readonly Conv2d c1 = new(4, 4, 3);
        private readonly Conv2d c2 = new(4, 4, 3, padding: 1);
        private readonly Conv2d c3 = new(4, 4, 3);
        private readonly Conv2d c4 = new(4, 4, 3);
        private readonly Conv2d c5 = new(5, 4, 1);

        public override Tensor Forward(Tensor x)
        {
            var a = c1.Call(F.Pad(x, [2, 0, 2, 0]));
            var b = c2.Call(F.Pad(a, [0, 1, 0, 1]))[.., .., ..8, ..8];
            var c = c3.Call(F.Pad(b, [1, 1, 1, 1], value: 1));
            var padded = F.Pad(c, [1, 1, 1, 1]);
            var d = c4.Call(padded) + padded[.., .., 1..9, 1..9];
            return c5.Call(F.Pad(d, [0, 0, 0, 0, 0, 1]));
        }
    }

    // Reshapes of contiguous values (the flatten before a classifier, heads split and merged) and of a permuted one,
    // which has to be copied.
    private sealed class Reshapes : Module<Tensor, Tensor>
    {
        private readonly Linear head = new(48, 5);

        public override Tensor Forward(Tensor x)
        {
            var flat = x.View(-1, 48);
            var merged = x.Permute(0, 2, 1).Reshape(-1, 48);
            return head.Call(flat) + head.Call(merged) * 0.5;
        }
    }

    // What an importer writes for a recurrent cell: the weight selected, transposed and sliced per gate, the bias
    // summed from two halves, and views (select, unsqueeze, squeeze, slice, permute) of the input and state.
    private sealed class ImportedCell : Module<Tensor, Tensor, Tensor>
    {
        private readonly Parameter w = new(Randn(1, 24, 10));
        private readonly Parameter b = new(Randn(1, 48));
        private readonly Parameter r = new(Randn(1, 24, 6));

        public override Tensor Forward(Tensor x, Tensor state)
        {
            var wT = w.Select(0, 0).Permute(1, 0);
            var bias = b.Select(0, 0).Slice(0, 0, 24) + b.Select(0, 0).Slice(0, 24, 48);
            var h = state.Select(0, 1).Squeeze(0);
            var gates = x.Permute(1, 0, 2).Select(0, 2).Matmul(wT) + bias + h.Matmul(r.Select(0, 0).Permute(1, 0));
            var i = F.Sigmoid(gates.Slice(1, 0, 6));
            var g = F.Tanh(gates.Slice(1, 18, 24, 1));
            return (i * g).Unsqueeze(0).Unsqueeze(-1);
        }
    }

    // A 1-D convolution stack on a short sequence (a voice detector's encoder), and one to 120 channels.
    private sealed class ShortSequence : Module<Tensor, Tensor>
    {
        private readonly Parameter w1 = new(Randn(64, 48, 3) * 0.2);
        private readonly Parameter b1 = new(Randn(64));
        private readonly Parameter w2 = new(Randn(120, 64, 3) * 0.2);

        public override Tensor Forward(Tensor x) => F.Conv1d(F.Relu(F.Conv1d(x, w1, b1, padding: 1)), w2, stride: 2, padding: 1);
    }

    // Two ResNet basic blocks: the first adds its input, the second a downsampled one, each then a ReLU; and a
    // convolution whose ReLU's input is also read by the mean (left as it is).
    private sealed class ResidualBlocks : Module<Tensor, Tensor>
    {
        private readonly Conv2d a1 = new(8, 8, 3, padding: 1, hasBias: false);
        private readonly BatchNorm2d n1 = new(8);
        private readonly Conv2d a2 = new(8, 8, 3, padding: 1, hasBias: false);
        private readonly BatchNorm2d n2 = new(8);
        private readonly Conv2d b1 = new(8, 16, 3, stride: 2, padding: 1, hasBias: false);
        private readonly BatchNorm2d m1 = new(16);
        private readonly Conv2d b2 = new(16, 16, 3, padding: 1, hasBias: false);
        private readonly BatchNorm2d m2 = new(16);
        private readonly Conv2d down = new(8, 16, 1, stride: 2, hasBias: false);
        private readonly BatchNorm2d md = new(16);
        private readonly Conv2d shared = new(16, 4, 1);

        public override Tensor Forward(Tensor x)
        {
            var y = F.Relu(n2.Call(a2.Call(F.Relu(n1.Call(a1.Call(x))))) + x);
            var skip = md.Call(down.Call(y));
            var z = F.Relu(m2.Call(b2.Call(F.Relu(m1.Call(b1.Call(y))))) + skip);
            var s = shared.Call(z);
            return F.Relu(s) + s.Mean([2, 3], keepdim: true);
        }
    }

    // A ResNet stage on small maps: the stride-2 a (its batch norm folded in first) and the 1×1 c run position-major,
    // the 3×3 b and d at stride 1 by Winograd's F(2×2, 3×3).
    private sealed class SmallMapStage : Module<Tensor, Tensor>
    {
        private readonly Conv2d a = new(32, 64, 3, stride: 2, padding: 1, hasBias: false);
        private readonly BatchNorm2d norm = new(64);
        private readonly Conv2d b = new(64, 64, 3, padding: 1);
        private readonly Conv2d c = new(64, 64, 1);
        private readonly Conv2d d = new(64, 48, 3, padding: 1);

        public override Tensor Forward(Tensor x)
        {
            var y = F.Relu(norm.Call(a.Call(x)));
            var z = F.Relu(b.Call(y) + y);
            return d.Call(c.Call(z));
        }
    }

    // ResNet's first stage in miniature: two 3×3 convolutions at stride 1 on a 16×16 map (Winograd's path), the first
    // with its batch norm, and a stride-2 one after them (not).
    private sealed class WinogradStage : Module<Tensor, Tensor>
    {
        private readonly Conv2d a = new(32, 32, 3, padding: 1, hasBias: false);
        private readonly BatchNorm2d norm = new(32);
        private readonly Conv2d b = new(32, 32, 3, padding: 1);
        private readonly Conv2d down = new(32, 16, 3, stride: 2, padding: 1);

        public override Tensor Forward(Tensor x)
        {
            var y = F.Relu(norm.Call(a.Call(x)));
            var z = F.Relu(b.Call(y) + x);
            return down.Call(z);
        }
    }

    // The same 64→64 3×3 convolution's shape on two maps, 4×4 and 7×7, each with its own weight.
    private sealed class TwoMaps : Module<Tensor, Tensor, (Tensor, Tensor)>
    {
        private readonly Conv2d small = new(64, 64, 3, padding: 1);
        private readonly Conv2d large = new(64, 64, 3, padding: 1);

        public override (Tensor, Tensor) Forward(Tensor x, Tensor y) => (small.Call(x), large.Call(y));
    }

    // Attention scores three ways: divided by √d with the padding mask added (fused), halved and read twice (not
    // fused: the softmax is not the halving's only reader), and divided by 3 without a mask (fused).
    private sealed class AttentionSoftmaxes : Module<Tensor, Tensor, Tensor>
    {
        public override Tensor Forward(Tensor x, Tensor padding)
        {
            var scores = x.Matmul(x.Transpose(-2, -1));
            var mask = (1 - padding.Unsqueeze(1)) * -10000.0;
            var attended = (scores / Math.Sqrt(16) + mask).Softmax(-1).Matmul(x);
            var halved = scores * 0.5;
            var shared = halved.Softmax(-1) + halved.Mean(-1, keepdim: true);
            var plain = (scores / 3.0).Softmax(-1);
            return attended.Sum(-1) + shared.Sum(-1) + plain.Max(-1).Values;
        }
    }

    // A feature pyramid's top-down steps: two 2× upsamples each added to the level below (fused), an upsample read
    // twice (not fused), and a 3× one added to another upsample (fused, computed as the two ops: it is not 2×).
    private sealed class FeaturePyramid : Module<Tensor, Tensor, Tensor, Tensor>
    {
        public override Tensor Forward(Tensor top, Tensor middle, Tensor bottom)
        {
            var m = middle + F.Interpolate(top, size: [middle.Shape[2].Hint, middle.Shape[3].Hint]);
            var b = F.Interpolate(m, scaleFactor: [2.0, 2.0]) + bottom;
            var shared = F.Interpolate(top, scaleFactor: [2.0, 2.0]);
            var thrice = F.Interpolate(top, scaleFactor: [3.0, 3.0]) + F.Interpolate(middle, size: [15, 15]);
            return b.Sum([2, 3]) + (shared * shared).Sum([2, 3]) + thrice.Sum([2, 3]);
        }
    }

    // A convolution then HardSwish as exporters write it (its output read twice, both times by the chain), and a
    // convolution whose output a chain and the result both read (which must not be written over).
    private sealed class ConvolutionThenChains : Module<Tensor, Tensor>
    {
        private readonly Conv2d first = new(3, 6, 3, padding: 1);
        private readonly Conv2d second = new(6, 6, 1);

        public override Tensor Forward(Tensor x)
        {
            var y = first.Call(x);
            var swished = y * (y + 3).Clamp(0, 6) / 6;
            var z = second.Call(swished);
            return F.Sigmoid(z * 2) + z;
        }
    }

    private sealed class SpelledOutTransformerOps : Module<Tensor, Tensor, Tensor>
    {
        private readonly Parameter gamma = new(Randn(24) * 0.5 + 1);
        private readonly Parameter beta = new(Randn(24) * 0.1);

        private static Tensor Normalized(Tensor x, long dim)
        {
            var centred = x - x.Mean(dim, keepdim: true);
            return centred / (centred.Pow(2.0).Mean(dim, keepdim: true) + 1e-12).Sqrt();
        }

        private static Tensor Gelu(Tensor x) => x * ((x / 1.4142135381698608).Erf() + 1) * 0.5;

        public override Tensor Forward(Tensor x, Tensor scale)
        {
            var norm = Normalized(x, -1) * gamma + beta;
            var byInput = Normalized(Gelu(norm), 2) * scale;
            var mean = byInput.Mean(-1, keepdim: true);
            var shared = (byInput - mean) * 2 + mean;
            return shared + Normalized(shared, 0);
        }
    }

    // Trained statistics (not the initial zeros and ones), so folding them changes the weights for real.
    private static T Trained<T>(T module, long channels = 3) where T : Module
    {
        module.Train();
        for (int i = 0; i < 3; i++) ((Module<Tensor, Tensor>)(Module)module).Call(Randn(4, channels, 10, 10) * 2 + 1);
        module.Eval();
        return module;
    }

    private static void AssertClose(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.Shape.ToLongs(), actual.Shape.ToLongs());
        double scale = Math.Max(expected.Abs().Max().Item(), 1e-3);
        Assert.True((expected - actual).Abs().Max().Item() <= 1e-5 * scale, $"max difference {(expected - actual).Abs().Max().Item()} at scale {scale}");
    }

    [Fact]
    public void A_frozen_module_folds_each_batch_norm_into_its_convolution_and_computes_the_same()
    {
        ManualSeed(3);
        var program = Export(Trained(new ConvBnStack()), [Randn(2, 3, 10, 10)], dynamicShapes: new() { ["x"] = new() { [0] = new Dim("batch") } });
        var plain = program.Module();
        var frozen = program.Module().Freeze();

        Assert.True(frozen.IsFrozen);
        Assert.False(plain.IsFrozen);
        Assert.Equal(2, frozen.FoldedBatchNorms);
        foreach (long batch in new[] { 1L, 5L })
        {
            var x = Randn(batch, 3, 10, 10) * 3;
            AssertClose(plain.Call(x), frozen.Call(x));
        }
        // Freezing twice changes nothing; the state it reports is still the module's own.
        Assert.Same(frozen, frozen.Freeze());
        Assert.Equal(plain.StateDict.Keys.Order(), frozen.StateDict.Keys.Order());
    }

    [Fact]
    public void A_transposed_convolutions_bias_add_batch_norm_and_affine_fold_into_it_and_its_relu_runs_on_its_output()
    {
        ManualSeed(31);
        var head = new TransposedHead();
        head.Train();
        for (int i = 0; i < 3; i++) head.Call(Randn(4, 6, 5, 5) * 2 + 1);
        head.Eval();
        var program = Export(head, [Randn(2, 6, 5, 5)], dynamicShapes: new() { ["x"] = new() { [0] = new Dim("batch") } });
        var plain = program.Module();
        var frozen = program.Module().Freeze();

        Assert.Equal((2, 1), (frozen.FoldedBatchNorms, frozen.FoldedAffines));
        var roles = frozen.Profile(Randn(1, 6, 5, 5)).Nodes.Where(n => n.Target == "aten.convolution.default").Select(n => n.Frozen).ToList();
        Assert.Equal(["frozen: convolution with its ReLU", "frozen: convolution with its ReLU", "frozen: convolution with batch norm or affine folded in"], roles);
        foreach (long batch in new[] { 1L, 3L })
        {
            var x = Randn(batch, 6, 5, 5) * 2;
            AssertClose(plain.Call(x), frozen.Call(x));
        }
    }

    [Fact]
    public void Squeeze_and_excitation_residuals_run_as_one_pass_and_give_exactly_the_ops_numbers()
    {
        ManualSeed(33);
        var program = Export(new GatedResiduals(), [Randn(2, 3, 9, 7)], dynamicShapes: new() { ["input"] = new() { [0] = new Dim("batch") } });
        var plain = program.Module();
        var frozen = program.Module().Freeze();

        Assert.Equal(2, frozen.ScaledResiduals);
        var roles = frozen.Profile(Randn(1, 3, 9, 7)).Nodes.Select(n => n.Frozen).ToList();
        Assert.Equal(2, roles.Count(r => r == "frozen: add of x and x scaled per channel, run as one"));
        foreach (long batch in new[] { 1L, 3L })
        {
            var x = Randn(batch, 3, 9, 7);
            var (expected, expectedShared) = ((Tensor, Tensor))plain.Invoke([x])!;
            var (actual, actualShared) = ((Tensor, Tensor))frozen.Invoke([x])!;
            Assert.Equal(expected.ToArray<float>(), actual.ToArray<float>());
            Assert.Equal(expectedShared.ToArray<float>(), actualShared.ToArray<float>());
        }
    }

    [Fact]
    public void A_frozen_module_packs_each_weight_its_products_read_once_and_gives_exactly_the_same_numbers()
    {
        ManualSeed(6);
        var program = Export(new Perceptron(), [Randn(4, 20)], dynamicShapes: new() { ["x"] = new() { [0] = new Dim("batch") } });
        var frozen = program.Module().Freeze();
        var plain = program.Module();

        Assert.Equal(4, frozen.PackedMatrices);
        // Batches of 1 and 2 take the GEMM's skinny path (the original weight), 40 and 300 the packed blocks.
        foreach (long batch in new[] { 1L, 2L, 40L, 300L })
        {
            var x = Randn(batch, 20);
            var (expected, actual) = (plain.Call(x), frozen.Call(x));
            Assert.Equal(expected.Shape.ToLongs(), actual.Shape.ToLongs());
            Assert.Equal(expected.ToArray<float>(), actual.ToArray<float>());
        }
        // The same holds for the decomposed program, and a wrong input still gets the plain kernel's message.
        var decomposed = program.RunDecompositions().Module().Freeze();
        Assert.Equal(4, decomposed.PackedMatrices);
        var y = Randn(33, 20);
        Assert.Equal(plain.Call(y).ToArray<float>(), decomposed.Call(y).ToArray<float>());
        var wrong = Assert.ThrowsAny<Exception>(() => frozen.Call(Randn(3, 21)));
        Assert.Equal(Assert.ThrowsAny<Exception>(() => plain.Call(Randn(3, 21))).Message, wrong.Message);
    }

    [Fact]
    public void A_bias_added_to_a_product_runs_as_part_of_it_and_a_wrong_input_still_gets_the_same_message()
    {
        ManualSeed(8);
        var program = Export(new MatMulAdd(), [Randn(4, 16)], dynamicShapes: new() { ["x"] = new() { [0] = new Dim("batch") } });
        var plain = program.Module();
        var frozen = program.Module().Freeze();

        Assert.Equal((2, 1), (frozen.PackedMatrices, frozen.FusedBiases));
        foreach (long batch in new[] { 1L, 9L, 200L })
        {
            var x = Randn(batch, 16);
            AssertClose(plain.Call(x), frozen.Call(x));
        }
        Assert.Equal(Assert.ThrowsAny<Exception>(() => plain.Call(Randn(3, 17))).Message, Assert.ThrowsAny<Exception>(() => frozen.Call(Randn(3, 17))).Message);

        // A batch of sequences: the product runs on the rows of a 2-D view, and the bias is added to the view back.
        var sequences = Export(new MatMulAdd(), [Randn(2, 5, 16)]);
        var frozenSequences = sequences.Module().Freeze();
        Assert.Equal((2, 1), (frozenSequences.PackedMatrices, frozenSequences.FusedBiases));
        var xs = Randn(2, 5, 16);
        AssertClose(sequences.Module().Call(xs), frozenSequences.Call(xs));
    }

    [Fact]
    public void Hardswish_spelled_out_as_four_ops_runs_as_one()
    {
        ManualSeed(9);
        var program = Export(new SpelledOutHardswish(), [Randn(2, 3, 12, 12)]);
        var frozen = program.Module().Freeze();

        Assert.Equal(2, frozen.FusedHardswishes);
        // Inputs around the kinks at -3 and 3, where the two spellings could part.
        var x = Randn(2, 3, 12, 12) * 4;
        AssertClose(program.Module().Call(x), frozen.Call(x));
    }

    [Fact]
    public void A_convolution_whose_output_is_also_read_elsewhere_is_left_as_it_is()
    {
        ManualSeed(4);
        var program = Export(Trained(new SharedConvolution()), [Randn(2, 3, 6, 6)]);
        var frozen = program.Module().Freeze();

        Assert.Equal(0, frozen.FoldedBatchNorms);
        var x = Randn(2, 3, 6, 6);
        AssertClose(program.Module().Call(x), frozen.Call(x));
    }

    [Fact]
    public void Statistics_the_program_updates_are_never_folded_and_every_call_sees_their_new_values()
    {
        ManualSeed(5);
        var program = Export(new DriftingStatistics(), [Randn(2, 3, 4, 4)]);
        var plain = program.Module();
        var frozen = program.Module().Freeze();

        Assert.Equal(0, frozen.FoldedBatchNorms);
        var x = Randn(2, 3, 4, 4);
        for (int call = 0; call < 3; call++) AssertClose(plain.Call(x), frozen.Call(x));
        Assert.Equal(1.5, frozen.StateDict["mean"].Max().Item(), 6);
    }

    [Fact]
    public void Numbers_multiplied_and_added_after_a_convolution_or_its_batch_norm_are_folded_into_its_weights()
    {
        ManualSeed(10);
        var program = Export(Trained(new ConvolutionAffines()), [Randn(2, 3, 10, 10)]);
        var frozen = program.Module().Freeze();

        Assert.Equal((2, 1), (frozen.FoldedAffines, frozen.FoldedBatchNorms));
        foreach (ulong seed in new ulong[] { 1, 2, 3 })
        {
            ManualSeed(seed);
            var x = Randn(2, 3, 10, 10) * 3;
            AssertClose(program.Module().Call(x), frozen.Call(x));
        }
    }

    [Fact]
    public void A_chain_of_elementwise_functions_runs_in_one_pass_and_gives_exactly_what_its_ops_give()
    {
        ManualSeed(11);
        var program = Export(new ElementwiseChains(), [Randn(4, 33, 65)]);
        var frozen = program.Module().Freeze();

        // x·1.7 + 0.3, clamp, relu6, /3, sigmoid, ·2, −1 is one chain; x − 0.5 then relu another, which stops there
        // because tanh and the ·3 both read it; ·3 then hardtanh a third; tanh alone is no chain.
        Assert.Equal(3, frozen.FusedPointwiseChains);
        Assert.Equal(1, frozen.DirectElementwiseOps);
        foreach (ulong seed in new ulong[] { 1, 2 })
        {
            ManualSeed(seed);
            var values = (Randn(4, 33, 65) * 4).ToArray<float>();
            (values[0], values[1], values[2]) = (float.NaN, float.PositiveInfinity, float.NegativeInfinity);
            var x = Tensor.FromArray(values, 4, 33, 65);
            // The same float32 operations in the same order: equal to the last bit, NaN where NaN.
            Assert.Equal(program.Module().Call(x).ToArray<float>(), frozen.Call(x).ToArray<float>());
        }
        // A transposed input reads through its strides.
        var t = Randn(4, 65, 33).Transpose(1, 2);
        Assert.Equal(program.Module().Call(t).ToArray<float>(), frozen.Call(t).ToArray<float>());
    }

    [Fact]
    public void Elementwise_ops_outside_any_chain_run_without_dispatch_and_give_exactly_what_their_ops_give()
    {
        ManualSeed(15);
        var program = Export(new SmallClassifier(), [Randn(2, 96)], dynamicShapes: new() { ["x"] = new() { [0] = new Dim("batch") } });
        var plain = program.Module();
        var frozen = program.Module().Freeze();

        Assert.Equal((3, 0), (frozen.DirectElementwiseOps, frozen.FusedPointwiseChains));
        var roles = frozen.Profile(Randn(1, 96)).Nodes.Where(n => n.Target is "aten.relu.default" or "aten.sigmoid.default").Select(n => n.Frozen).ToList();
        Assert.Equal(["frozen: elementwise op, run without dispatch", "frozen: elementwise op, run without dispatch", "frozen: elementwise op, run without dispatch"], roles);
        // Batches of 1 and 5 give one short row per op; 300 rows of 32 are more than one chunk of the elementwise driver.
        foreach (long batch in new[] { 1L, 5L, 300L })
        {
            var values = (Randn(batch, 96) * 3).ToArray<float>();
            (values[0], values[^1]) = (float.NaN, float.PositiveInfinity);
            var x = Tensor.FromArray(values, batch, 96);
            Assert.Equal(plain.Call(x).ToArray<float>(), frozen.Call(x).ToArray<float>());
        }
        Assert.Equal(0, plain.DirectElementwiseOps);
    }

    [Fact]
    public void Layer_norm_and_gelu_written_out_op_by_op_run_as_one_op_each_where_nothing_else_reads_their_steps()
    {
        ManualSeed(12);
        var program = Export(new SpelledOutTransformerOps(), [Randn(3, 7, 24), Randn(24)]);
        var frozen = program.Module().Freeze();

        // The first norm with its constant weight and bias; the second without its input-given scale (which runs
        // as a mul after it); the GELU between them. Not the mean read twice, nor the norm over dim 0.
        Assert.Equal((2, 1), (frozen.FusedLayerNorms, frozen.FusedGelus));
        foreach (ulong seed in new ulong[] { 1, 2, 3 })
        {
            ManualSeed(seed);
            var (x, scale) = (Randn(3, 7, 24) * 3 + 1, Randn(24));
            AssertClose(program.Module().Call(x, scale), frozen.Call(x, scale));
        }
    }

    [Fact]
    public void Pads_an_importer_writes_before_a_convolution_or_max_pool_are_taken_into_its_padding()
    {
        ManualSeed(13);
        // Even sizes: every pad's extra "after" row is never read, so all three fold (with odd ones they could not).
        var program = Export(Trained(new ImportedPads()), [Randn(2, 3, 32, 32)]);
        var frozen = program.Module().Freeze();

        Assert.Equal((3, 1, 1), (frozen.FoldedPads, frozen.ValueOnlyMaxPools, frozen.FoldedBatchNorms));
        var roles = frozen.Profile(Randn(2, 3, 32, 32)).Nodes.Select(n => n.Frozen).ToList();
        Assert.Contains("frozen: max pool without indices, the pad before it folded in", roles);
        Assert.Contains("frozen: convolution with the pad before it folded in", roles);
        foreach (ulong seed in new ulong[] { 1, 2, 3 })
        {
            ManualSeed(seed);
            var x = Randn(2, 3, 32, 32) * 2;
            AssertClose(program.Module().Call(x), frozen.Call(x));
        }

        var odd = Export(Trained(new ImportedPads()), [Randn(1, 3, 33, 33)]);
        var frozenOdd = odd.Module().Freeze();
        Assert.Equal(1, frozenOdd.ValueOnlyMaxPools);
        var y = Randn(1, 3, 33, 33);
        AssertClose(odd.Module().Call(y), frozenOdd.Call(y));
    }

    [Fact]
    public void Pads_that_would_change_what_a_convolution_reads_are_left_as_they_are()
    {
        ManualSeed(14);
        var program = Export(new PadsThatStay(), [Randn(2, 4, 8, 8)]);
        var frozen = program.Module().Freeze();

        Assert.Equal(0, frozen.FoldedPads);
        foreach (ulong seed in new ulong[] { 1, 2 })
        {
            ManualSeed(seed);
            var x = Randn(2, 4, 8, 8);
            AssertClose(program.Module().Call(x), frozen.Call(x));
        }
    }

    [Fact]
    public void Reshapes_to_a_static_shape_reuse_the_storage_and_a_strided_input_is_still_copied()
    {
        ManualSeed(15);
        var program = Export(new Reshapes(), [Randn(4, 6, 8)]);
        var frozen = program.Module().Freeze();

        var roles = frozen.Profile(Randn(4, 6, 8)).Nodes.Select(n => n.Frozen).ToList();
        Assert.Contains("frozen: reshape to a static shape", roles);
        // The weight's transpose reads only the weight: computed once, when the module was frozen.
        Assert.Contains("frozen: computed from weights alone, once", roles);
        foreach (ulong seed in new ulong[] { 1, 2, 3 })
        {
            ManualSeed(seed);
            var x = Randn(4, 6, 8);
            // Equal to the last bit: the same kernels on the same values, only the reshapes made differently.
            Assert.Equal(program.Module().Call(x).ToArray<float>(), frozen.Call(x).ToArray<float>());
        }
    }

    [Fact]
    public void Nodes_that_read_only_weights_are_computed_once_and_views_of_static_shapes_made_from_strides()
    {
        ManualSeed(21);
        var program = Export(new ImportedCell(), [Randn(4, 3, 10), Randn(2, 1, 4, 6)]);
        var frozen = program.Module().Freeze();

        // W's select and permute, the bias's two selects, two slices and add, R's select and permute: 9 nodes.
        Assert.Equal(9, frozen.WeightOnlyNodes);
        // Both products then read their weight packed once.
        Assert.Equal(2, frozen.PackedMatrices);
        Assert.True(frozen.StaticViews >= 8, $"{frozen.StaticViews} static views");
        var roles = frozen.Profile(Randn(4, 3, 10), Randn(2, 1, 4, 6)).Nodes.Select(n => n.Frozen).ToList();
        Assert.Contains("frozen: computed from weights alone, once", roles);
        Assert.Contains("frozen: view of a static shape, made from its input's strides", roles);
        foreach (ulong seed in new ulong[] { 1, 2, 3 })
        {
            ManualSeed(seed);
            var (x, state) = (Randn(4, 3, 10), Randn(2, 1, 4, 6));
            AssertClose(program.Module().Call(x, state), frozen.Call(x, state));
            // A strided input (a transposed view) gets the views its own strides give.
            var strided = Randn(10, 3, 4).Permute(2, 1, 0);
            AssertClose(program.Module().Call(strided, state), frozen.Call(strided, state));
        }
    }

    // Views with negative dims and indices, a stepped slice, a slice past the end, an empty one, unsqueezes at both
    // ends, a squeeze of a dim that is not 1 (which keeps it), and a permute, each made into a result of its own.
    private sealed class ManyViews : Module<Tensor, Tensor[]>
    {
        public override Tensor[] Forward(Tensor x) =>
        [
            x.Select(-1, -2) * 1,
            x.Slice(1, -3, null, 2) * 1,
            x.Slice(2, 1, 100) * 1,
            x.Slice(0, 1, 1) * 1,
            x.Unsqueeze(-1).Unsqueeze(0) * 1,
            x.Select(0, 1).Unsqueeze(1).Squeeze(1).Squeeze(0) * 1,
            x.Permute(2, 0, 1).Select(1, 0) * 1,
        ];
    }

    [Fact]
    public void Views_of_static_shapes_give_what_the_view_ops_give_for_contiguous_and_strided_inputs()
    {
        ManualSeed(24);
        var program = Export(new ManyViews(), [Randn(3, 5, 4)]);
        var frozen = program.Module().Freeze();
        Assert.True(frozen.StaticViews >= 10, $"{frozen.StaticViews} static views");
        foreach (var x in new[] { Randn(3, 5, 4), Randn(4, 5, 3).Permute(2, 1, 0), Randn(3, 10, 4).Slice(1, 0, 10, 2) })
        {
            var expected = (Tensor[])program.Module().Invoke(x)!;
            var actual = (Tensor[])frozen.Invoke(x)!;
            Assert.Equal(expected.Length, actual.Length);
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.Equal(expected[i].Shape.ToLongs(), actual[i].Shape.ToLongs());
                Assert.Equal(expected[i].ToArray<float>(), actual[i].ToArray<float>());
            }
        }
    }

    private sealed class Recurrences : Module<Tensor, Tensor>
    {
        private readonly LSTM lstm = new(10, 16, numLayers: 2, bidirectional: true);
        private readonly GRU gru = new(32, 8);

        public override Tensor Forward(Tensor x)
        {
            var (output, (h, _)) = lstm.Call(x);
            return gru.Call(output).Output.Sum(2) + h.Sum(0).Sum(1).Unsqueeze(0);
        }
    }

    [Fact]
    public void Recurrences_with_constant_weights_pack_them_once_and_compute_what_the_op_computes()
    {
        ManualSeed(25);
        var program = Export(new Recurrences(), [Randn(6, 3, 10)]);
        var frozen = program.Module().Freeze();

        Assert.Equal(2, frozen.PreparedRecurrences);
        Assert.Contains("frozen: recurrence with its weights packed once", frozen.Profile(Randn(6, 3, 10)).Nodes.Select(n => n.Frozen));
        foreach (ulong seed in new ulong[] { 1, 2, 3 })
        {
            ManualSeed(seed);
            var x = Randn(6, 3, 10);
            // The same kernel with the same packed weights: the same numbers to the bit.
            Assert.Equal(program.Module().Call(x).ToArray<float>(), frozen.Call(x).ToArray<float>());
        }
    }

    [Fact]
    public void An_output_computed_from_weights_alone_is_a_new_tensor_on_every_call()
    {
        // The caller owns what a call returns: folding it would hand every caller the same tensor.
        ManualSeed(22);
        var program = Export(new WeightEcho(), [Randn(2, 3)]);
        var frozen = program.Module().Freeze();
        var first = (Tensor[])frozen.Invoke(Randn(2, 3))!;
        first[1].Fill_(0);
        var second = (Tensor[])frozen.Invoke(Randn(2, 3))!;
        Assert.NotSame(first[1], second[1]);
        Assert.Equal((program.Module().StateDict["w"] * 2).ToArray<float>(), second[1].ToArray<float>());
    }

    private sealed class WeightEcho : Module<Tensor, Tensor[]>
    {
        private readonly Parameter w = new(Randn(3));

        public override Tensor[] Forward(Tensor x) => [x + w, w * 2];
    }

    [Fact]
    public void One_dimensional_convolutions_on_short_sequences_run_position_major()
    {
        ManualSeed(23);
        var program = Export(new ShortSequence(), [Randn(2, 48, 8)]);
        var frozen = program.Module().Freeze();

        // 64 channels fill two 32-wide tiles; 120 fill three and three quarters of a fourth, near enough.
        Assert.Equal(2, frozen.PositionMajorConvolutions);
        foreach (ulong seed in new ulong[] { 1, 2, 3 })
        {
            ManualSeed(seed);
            var x = Randn(2, 48, 8);
            AssertClose(program.Module().Call(x), frozen.Call(x));
        }
    }

    [Fact]
    public void Residual_adds_and_relus_after_a_convolution_run_on_its_output_in_one_pass()
    {
        ManualSeed(16);
        var program = Export(Trained(new ResidualBlocks(), channels: 8), [Randn(2, 8, 12, 12)]);
        var frozen = program.Module().Freeze();

        // a1 and b1 with their ReLUs, a2 and b2 with the residual add and ReLU; not down (its output goes to b2's
        // add), nor shared (its output is read twice).
        Assert.Equal(4, frozen.ConvolutionEpilogues);
        var roles = frozen.Profile(Randn(2, 8, 12, 12)).Nodes.Select(n => n.Frozen).ToList();
        // (b2, 16 channels at stride 1, runs by Winograd's F(2×2, 3×3), which its role says too.)
        Assert.Equal(2, roles.Count(r => r is "frozen: convolution with its residual add and ReLU" or "frozen: convolution with its residual add and ReLU, Winograd F(2x2, 3x3)"));
        Assert.Equal(2, roles.Count(r => r == "frozen: convolution with its ReLU"));
        foreach (ulong seed in new ulong[] { 1, 2, 3 })
        {
            ManualSeed(seed);
            var x = Randn(2, 8, 12, 12) * 2;
            AssertClose(program.Module().Call(x), frozen.Call(x));
        }
    }

    [Fact]
    public void A_chain_that_alone_reads_a_convolutions_output_runs_in_place_and_one_that_shares_it_does_not()
    {
        ManualSeed(17);
        var program = Export(new ConvolutionThenChains(), [Randn(2, 3, 9, 9)]);
        var frozen = program.Module().Freeze();

        Assert.Equal((2, 1), (frozen.FusedPointwiseChains, frozen.InPlaceChains));
        foreach (ulong seed in new ulong[] { 1, 2, 3 })
        {
            ManualSeed(seed);
            var x = Randn(2, 3, 9, 9) * 3;
            // HardSwish runs as one op, rounded once where the written-out ops round four times.
            AssertClose(program.Module().Call(x), frozen.Call(x));
        }
    }

    [Fact]
    public void Convolutions_on_small_maps_run_as_products_over_positions_and_compute_the_same()
    {
        ManualSeed(18);
        var program = Export(Trained(new SmallMapStage(), channels: 32), [Randn(2, 32, 14, 14)], dynamicShapes: new() { ["x"] = new() { [0] = new Dim("batch") } });
        var frozen = program.Module().Freeze();

        // The stride-2 and 1×1 convolutions run position-major; the 3×3 ones at stride 1 by Winograd's F(2×2, 3×3)
        // (position-major too on a machine without AVX2, whose vectors Winograd's transforms are written in).
        bool winograd = Graphport.Cpu.VectorMath.IsAccelerated;
        Assert.Equal(winograd ? (2, 2, 1) : (3, 0, 1), (frozen.PositionMajorConvolutions, frozen.WinogradConvolutions, frozen.FoldedBatchNorms));
        var roles = frozen.Profile(Randn(2, 32, 14, 14)).Nodes.Select(n => n.Frozen).ToList();
        Assert.Contains("frozen: convolution with its ReLU, position-major (small map)", roles);
        Assert.Contains("frozen: convolution, position-major (small map)", roles);
        Assert.Contains($"frozen: convolution with its residual add and ReLU, {(winograd ? "Winograd F(2x2, 3x3)" : "position-major (small map)")}", roles);
        foreach (var (seed, batch) in new (ulong, long)[] { (1, 1), (2, 2), (3, 5) })
        {
            ManualSeed(seed);
            var x = Randn(batch, 32, 14, 14) * 2;
            AssertClose(program.Module().Call(x), frozen.Call(x));
        }
    }

    [Fact]
    public void Three_by_three_convolutions_at_stride_1_run_by_winograd_and_compute_the_same()
    {
        ManualSeed(21);
        var program = Export(Trained(new WinogradStage(), channels: 32), [Randn(2, 32, 16, 16)], dynamicShapes: new() { ["x"] = new() { [0] = new Dim("batch") } });
        var frozen = program.Module().Freeze();

        // (On a machine without AVX2, whose vectors the transforms are written in, they run position-major instead.)
        bool winograd = Graphport.Cpu.VectorMath.IsAccelerated;
        Assert.Equal(winograd ? (2, 0, 1) : (0, 2, 1), (frozen.WinogradConvolutions, frozen.PositionMajorConvolutions, frozen.FoldedBatchNorms));
        var roles = frozen.Profile(Randn(2, 32, 16, 16)).Nodes.Select(n => n.Frozen).ToList();
        string path = winograd ? ", Winograd F(2x2, 3x3)" : ", position-major (small map)";
        Assert.Contains("frozen: convolution with its ReLU" + path, roles);
        Assert.Contains("frozen: convolution with its residual add and ReLU" + path, roles);
        foreach (var (seed, batch) in new (ulong, long)[] { (1, 1), (2, 2), (3, 5) })
        {
            ManualSeed(seed);
            var x = Randn(batch, 32, 16, 16) * 2;
            AssertClose(program.Module().Call(x), frozen.Call(x));
        }
    }

    [Fact]
    public void A_map_smaller_than_seven_by_seven_runs_position_major_rather_than_by_winograd()
    {
        ManualSeed(22);
        // 64→64 3×3 at 4×4 and at 7×7 (two images): too few tiles on the first to repay Winograd's transformed weight.
        var program = Export(new TwoMaps(), [Randn(1, 64, 4, 4), Randn(2, 64, 7, 7)]);
        var frozen = program.Module().Freeze();

        bool winograd = Graphport.Cpu.VectorMath.IsAccelerated;
        Assert.Equal(winograd ? (1, 1) : (2, 0), (frozen.PositionMajorConvolutions, frozen.WinogradConvolutions));
        var (small, large) = (Randn(1, 64, 4, 4), Randn(2, 64, 7, 7));
        var expected = ((Tensor, Tensor))program.Module().Invoke([small, large])!;
        var actual = ((Tensor, Tensor))frozen.Invoke([small, large])!;
        AssertClose(expected.Item1, actual.Item1);
        AssertClose(expected.Item2, actual.Item2);
    }

    [Fact]
    public void Softmaxes_of_scaled_and_masked_scores_run_in_one_pass_and_give_the_same_numbers()
    {
        ManualSeed(19);
        var program = Export(new AttentionSoftmaxes(), [Randn(2, 5, 16), Ones(2, 5)], dynamicShapes: new() { ["x"] = new() { [1] = new Dim("tokens") }, ["padding"] = new() { [1] = new Dim("tokens") } });
        var frozen = program.Module().Freeze();

        Assert.Equal(2, frozen.FusedSoftmaxes);
        var roles = frozen.Profile(Randn(2, 5, 16), Ones(2, 5)).Nodes.Select(n => n.Frozen).ToList();
        Assert.Equal(2, roles.Count(r => r == "frozen: softmax of scaled and masked scores, run as one"));
        foreach (var (seed, tokens) in new (ulong, long)[] { (1, 5), (2, 9), (3, 33) })
        {
            ManualSeed(seed);
            var x = Randn(2, tokens, 16);
            var padding = (Rand(2, tokens) > 0.3).To(DType.Float32);
            // The same kernels on the same values in the same order: equal to the last bit.
            Assert.Equal(program.Module().Call(x, padding).ToArray<float>(), frozen.Call(x, padding).ToArray<float>());
        }
    }

    private sealed class MaskedAttention : Module<Tensor, Tensor, Tensor>
    {
        public override Tensor Forward(Tensor q, Tensor keep) => F.ScaledDotProductAttention(q, q * 0.5, q + 1.0, keep > 0.5, isCausal: false);
    }

    [Fact]
    public void Attentions_guard_for_a_query_that_sees_no_key_runs_on_the_softmaxs_output_and_gives_zero_rows()
    {
        ManualSeed(23);
        var program = Export(new MaskedAttention(), [Randn(2, 3, 6, 8), Ones(2, 1, 6, 6)]);
        foreach (var module in new[] { program.Module(), program.RunDecompositions().Module() })
        {
            var frozen = module.Freeze();
            Assert.Equal(1, frozen.FoldedSoftmaxGuards);
            var q = Randn(2, 3, 6, 8);
            // Random keys kept, and every key hidden from the third query of the first sequence.
            var keep = (Rand(2, 1, 6, 6) > 0.4).To(DType.Float32);
            keep.Narrow(0, 0, 1).Narrow(2, 2, 1).Fill_(0.0);
            var expected = module.Call(q, keep);
            var actual = frozen.Call(q, keep);
            Assert.Equal(expected.ToArray<float>(), actual.ToArray<float>());
            Assert.All(actual.Narrow(0, 0, 1).Narrow(2, 2, 1).ToArray<float>(), v => Assert.Equal(0f, v));
            Assert.DoesNotContain(actual.ToArray<float>(), float.IsNaN);
            Assert.Contains("frozen: attention's guard for rows of -inf, on the softmax's rows", frozen.Profile(q, keep).Nodes.Select(n => n.Frozen));
        }
    }

    [Fact]
    public void A_feature_pyramids_upsample_and_add_run_as_one_op_and_give_the_same_numbers()
    {
        ManualSeed(20);
        var program = Export(new FeaturePyramid(), [Randn(2, 4, 5, 5), Randn(2, 4, 10, 10), Randn(2, 4, 20, 20)]);
        var frozen = program.Module().Freeze();

        Assert.Equal(3, frozen.UpsampledAdds);
        foreach (ulong seed in new ulong[] { 1, 2 })
        {
            ManualSeed(seed);
            var (top, middle, bottom) = (Randn(2, 4, 5, 5), Randn(2, 4, 10, 10), Randn(2, 4, 20, 20));
            Assert.Equal(program.Module().Call(top, middle, bottom).ToArray<float>(), frozen.Call(top, middle, bottom).ToArray<float>());
        }
    }
}
