using Graphport.Analysis;
using Graphport.Tests.Analysis.Subjects;

namespace Graphport.Tests.Analysis;

public sealed class ItemTaintTests
{
    private static readonly string Source = ItemDecidesBranch.SourceFile;

    [Fact]
    public void Item_value_deciding_an_if_through_locals_and_arithmetic_is_reported_at_the_branch()
    {
        var found = BreakAssert.SingleAt(BreakAssert.FindIn<ItemDecidesBranch>(), GraphBreakKind.DataDependentValue,
            Source, "item-if", "if (shifted > 0f)", "ItemDecidesBranch.Forward");
        Assert.Equal(GraphBreakMessages.DataDependentValue, found.Message);
    }

    [Fact]
    public void Item_value_that_only_feeds_arithmetic_and_tensor_ops_is_not_a_break()
    {
        Assert.Empty(BreakAssert.FindIn<ItemFeedsArithmetic>());
    }

    [Fact]
    public void ToScalar_value_deciding_a_switch_is_reported()
    {
        BreakAssert.SingleAt(BreakAssert.FindIn<ScalarDecidesSwitch>(), GraphBreakKind.DataDependentValue,
            Source, "scalar-switch", "switch ((int)x.ToScalar())", "ScalarDecidesSwitch.Forward");
    }

    [Fact]
    public void Item_value_passed_to_a_helper_is_reported_where_the_helper_branches_on_it()
    {
        BreakAssert.SingleAt(BreakAssert.FindIn<ItemPassedToHelper>(), GraphBreakKind.DataDependentValue,
            Source, "item-parameter", "if (scale > 1f)", "ItemPassedToHelper.Choose");
    }

    [Fact]
    public void Item_value_returned_by_a_helper_is_reported_where_the_caller_branches_on_it()
    {
        BreakAssert.SingleAt(BreakAssert.FindIn<ItemReturnedByHelper>(), GraphBreakKind.DataDependentValue,
            Source, "item-return", "if (Threshold(x) > 1f)", "ItemReturnedByHelper.Forward");
    }

    [Fact]
    public void Item_value_stored_in_a_field_and_read_back_is_still_tracked()
    {
        BreakAssert.SingleAt(BreakAssert.FindIn<ItemStoredInField>(), GraphBreakKind.DataDependentValue,
            Source, "item-field", "if (ok)", "ItemStoredInField.Forward");
    }
}
