using Graphport.Analysis;
using Graphport.Tests.Analysis.Subjects;

namespace Graphport.Tests.Analysis;

public sealed class CallGraphTests
{
    private static readonly string Source = BreakInHelper.SourceFile;

    [Fact]
    public void Break_in_a_helper_called_from_Forward_is_reported_at_the_helpers_line()
    {
        BreakAssert.SingleAt(BreakAssert.FindIn<BreakInHelper>(), GraphBreakKind.DataDependentControlFlow,
            Source, "helper", "if (x > 0)", "BreakInHelper.Helper");
    }

    [Fact]
    public void Break_in_a_lambda_is_reported_at_the_lambdas_line()
    {
        BreakAssert.SingleAt(BreakAssert.FindIn<BreakInLambda>(), GraphBreakKind.DataDependentControlFlow,
            Source, "lambda", "t => t > 0 ? t : t * 2f", "BreakInLambda.Forward.<lambda>");
    }

    [Fact]
    public void Break_in_a_submodule_reached_through_a_field_is_reported_in_the_submodule()
    {
        BreakAssert.SingleAt(BreakAssert.FindIn<ParentWithChild>(), GraphBreakKind.TensorDataAccess,
            Source, "submodule", "x * x.Data[0]", "ChildReadingData.Forward");
    }

    [Fact]
    public void Submodules_of_a_generic_module_base_held_in_a_list_are_inspected()
    {
        BreakAssert.SingleAt(BreakAssert.FindIn<ParentWithTypedBlocks>(), GraphBreakKind.DataDependentControlFlow,
            Source, "typed-submodule", "input > 0 ? input : input * 2f", "TypedBlock.Forward");
    }

    [Fact]
    public void Break_in_a_generic_helper_is_found_in_its_instantiation()
    {
        BreakAssert.SingleAt(BreakAssert.FindIn<BreakInGenericHelper>(), GraphBreakKind.DataDependentControlFlow,
            Source, "generic-helper", "if (t)", "BreakInGenericHelper.Gate");
    }

    [Fact]
    public void Item_returned_through_a_generic_helper_taints_the_callers_branch()
    {
        BreakAssert.SingleAt(BreakAssert.FindIn<ItemThroughGenericHelper>(), GraphBreakKind.DataDependentValue,
            Source, "generic-item", "if (Scalar<float>(x) > 0f)", "ItemThroughGenericHelper.Forward");
    }

    [Fact]
    public void Recursive_helpers_terminate_and_report_their_break_once()
    {
        BreakAssert.SingleAt(BreakAssert.FindIn<RecursiveHelper>(), GraphBreakKind.TensorDataAccess,
            Source, "recursive", "x.Data.Length", "RecursiveHelper.Repeat");
    }

    [Fact]
    public void Clean_Forward_with_helpers_lambdas_and_counted_loops_has_no_breaks()
    {
        Assert.Empty(BreakAssert.FindIn<CleanModule>());
    }

    [Fact]
    public void Breaks_are_listed_entry_first_in_IL_order()
    {
        var breaks = GraphBreakFinder.Find(typeof(Ordered).GetMethod(nameof(Ordered.Forward))!, Fakes.FakePolicy.Instance);

        Assert.Equal(
            [GraphBreakKind.TensorDataAccess, GraphBreakKind.ObjectIdentity, GraphBreakKind.DataDependentControlFlow],
            breaks.Select(b => b.Kind));
    }

    private sealed class Ordered : Fakes.FakeModule
    {
        public Fakes.FakeTensor Forward(Fakes.FakeTensor x)
        {
            var first = x.Data[0];
            var hash = System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(x);
            return Helper(x) * (first + hash);
        }

        private static Fakes.FakeTensor Helper(Fakes.FakeTensor x) => x ? x : x * 2f;
    }
}
