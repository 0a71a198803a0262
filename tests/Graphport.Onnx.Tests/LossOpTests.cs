using Graphport.Onnx;
using static Graphport.Tests.Onnx.OrtComparison;

namespace Graphport.Tests.Onnx;

/// <summary>
/// ONNX's losses (what a training export carries): NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss over
/// (N, C) and (N, C, D) scores, with class weights, an ignored label, each reduction and int32 or int64 labels, and
/// SoftmaxCrossEntropyLoss's log-probabilities output, each against ONNX Runtime on random inputs.
/// </summary>
public class LossOpTests
{
    public static TheoryData<string, string, bool, bool, bool> Variants()
    {
        var data = new TheoryData<string, string, bool, bool, bool>();
        foreach (var op in new[] { "NegativeLogLikelihoodLoss", "SoftmaxCrossEntropyLoss" })
            foreach (var reduction in new[] { "mean", "sum", "none" })
                foreach (var (weighted, ignoring, spatial) in new[] { (false, false, false), (true, true, false), (true, false, true), (false, true, true) })
                    data.Add(op, reduction, weighted, ignoring, spatial);
        return data;
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void A_loss_over_class_scores_matches_onnx_runtime(string op, string reduction, bool weighted, bool ignoring, bool spatial)
    {
        var random = new Random(op.Length * 31 + reduction.Length * 7 + (weighted ? 1 : 0) + (ignoring ? 2 : 0) + (spatial ? 4 : 0));
        long[] scores = spatial ? [3, 5, 4] : [6, 5];
        long[] labelShape = spatial ? [3, 4] : [6];
        long n = labelShape.Aggregate(1L, (a, b) => a * b);
        // Labels 0-4; with ignore_index 2 some of them are the ignored one.
        var labels = Enumerable.Range(0, (int)n).Select(i => ignoring && i % 3 == 1 ? 2L : random.Next(0, 5)).ToArray();
        var builder = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, scores.Cast<object?>().ToArray())
            .Input("labels", ElemType.Int64, labelShape.Cast<object?>().ToArray());
        if (weighted) builder = builder.Initializer("w", RandomData.Floats(random, 5, 0.2f, 2f), 5);
        var attributes = new List<OnnxAttr> { OnnxAttr.String("reduction", reduction) };
        if (ignoring) attributes.Add(OnnxAttr.Int("ignore_index", 2));
        string[] inputs = weighted ? ["x", "labels", "w"] : ["x", "labels"];
        object?[] lossShape = reduction == "none" ? labelShape.Cast<object?>().ToArray() : [];
        var model = builder.Node(op, inputs, ["loss"], [.. attributes]).Output("loss", ElemType.Float, lossShape).Build();

        // NegativeLogLikelihoodLoss takes log-probabilities: the inputs are negative, as a log-softmax's are.
        var x = op == "NegativeLogLikelihoodLoss" ? ModelInput.Floats("x", random, scores, -4f, 0f) : ModelInput.Floats("x", random, scores, -3f, 3f);
        AssertMatchesOrt(model, x, ModelInput.Longs("labels", labels, labelShape));
    }

    [Fact]
    public void Softmax_cross_entropy_with_int32_labels_also_gives_its_log_probabilities()
    {
        var random = new Random(401);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 4, 6)
            .Input("labels", ElemType.Int32, 4)
            .Node("SoftmaxCrossEntropyLoss", ["x", "labels"], ["loss", "log_prob"])
            .Output("loss", ElemType.Float, [])
            .Output("log_prob", ElemType.Float, [4, 6])
            .Build();
        AssertMatchesOrt(model, ModelInput.Floats("x", random, [4, 6]), new ModelInput("labels", new[] { 5, 0, 3, 3 }, [4]));
    }

    [Fact]
    public void A_loss_over_a_symbolic_batch_follows_the_batch()
    {
        var random = new Random(402);
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, "n", 5)
            .Input("labels", ElemType.Int64, "n")
            .Node("SoftmaxCrossEntropyLoss", ["x", "labels"], ["loss"], OnnxAttr.String("reduction", "none"))
            .Output("loss", ElemType.Float, ["n"])
            .Build();
        var module = Import(model).Module();
        foreach (long n in new long[] { 2, 9 })
            AssertRunMatchesOrt(module, model, [ModelInput.Floats("x", random, [n, 5]), ModelInput.Longs("labels", random, [n], 0, 5)], Tolerance.Float32, $"n={n}");
    }

    [Fact]
    public void An_unknown_reduction_is_refused_by_name()
    {
        var model = new OnnxModelBuilder(13)
            .Input("x", ElemType.Float, 4, 6)
            .Input("labels", ElemType.Int64, 4)
            .Node("NegativeLogLikelihoodLoss", ["x", "labels"], ["loss"], OnnxAttr.String("reduction", "average"))
            .Output("loss", ElemType.Float, [])
            .Build();
        var error = Assert.Throws<OnnxImportException>(() => Import(model));
        Assert.Contains("has reduction \"average\"", error.Message, StringComparison.Ordinal);
    }
}
