using Graphport.Analysis;
using Graphport.Tests.Analysis.Subjects;

namespace Graphport.Tests.Analysis;

public sealed class TensorTruthinessTests
{
    private static readonly string Source = TensorInIf.SourceFile;

    [Fact]
    public void Tensor_used_as_bool_in_if_is_reported_with_file_and_line()
    {
        var found = BreakAssert.SingleAt(BreakAssert.FindIn<TensorInIf>(), GraphBreakKind.DataDependentControlFlow,
            Source, "tensor-if", "if (x.Sum() > 0)", "TensorInIf.Forward");
        Assert.Equal(GraphBreakMessages.DataDependentControlFlow, found.Message);
    }

    [Fact]
    public void Tensor_conditional_and_is_reported_once_for_its_line()
    {
        // && on tensors calls op_False, then op_True on the combined tensor: two calls, one line, one break.
        BreakAssert.SingleAt(BreakAssert.FindIn<TensorInAndAlso>(), GraphBreakKind.DataDependentControlFlow,
            Source, "tensor-and", "(x > 0) && (y > 0)", "TensorInAndAlso.Forward");
    }

    [Fact]
    public void Tensor_as_ternary_condition_is_reported()
    {
        BreakAssert.SingleAt(BreakAssert.FindIn<TensorInTernary>(), GraphBreakKind.DataDependentControlFlow,
            Source, "tensor-ternary", "x > 0 ? x : x * 2f", "TensorInTernary.Forward");
    }

    [Fact]
    public void Tensor_as_while_condition_is_reported_at_the_while_line()
    {
        BreakAssert.SingleAt(BreakAssert.FindIn<TensorInWhile>(), GraphBreakKind.DataDependentControlFlow,
            Source, "tensor-while", "while (x.Sum() > 1)", "TensorInWhile.Forward");
    }
}
