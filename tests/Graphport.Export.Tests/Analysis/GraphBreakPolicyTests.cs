using System.Reflection;
using System.Runtime.CompilerServices;
using Graphport.Analysis;
using Graphport.Tests.Analysis.Fakes;

namespace Graphport.Tests.Analysis;

public sealed class GraphBreakPolicyTests
{
    [Fact]
    public void Default_policy_names_the_Graphport_tensor_and_module_types()
    {
        var policy = GraphBreakPolicy.Default;

        Assert.Equal(["Graphport.Tensor"], policy.TensorTypes);
        Assert.Equal(["Graphport.Module"], policy.ModuleTypes);
        Assert.Contains("op_True", policy.TruthinessMethods);
        Assert.Contains("get_Data", policy.DataAccessMethods);
        Assert.Contains("Item", policy.ItemMethods);
        Assert.Contains(new QualifiedMember("System.Object", "ReferenceEquals"), policy.IdentityMembers);
    }

    [Fact]
    public void Runtime_xunit_and_engine_assemblies_are_trusted_but_assemblies_named_after_the_engine_are_user_code()
    {
        var policy = GraphBreakPolicy.Default;

        Assert.False(policy.IsUserCode(typeof(object).Assembly));
        Assert.False(policy.IsUserCode(typeof(FactAttribute).Assembly));
        Assert.False(policy.IsUserCode(typeof(GraphBreakFinder).Assembly));
        Assert.True(policy.IsUserCode(typeof(GraphBreakPolicyTests).Assembly));
    }

    [Fact]
    public void Tensor_subclasses_count_as_tensors_and_module_bases_match_any_generic_arity()
    {
        var policy = FakePolicy.Instance;

        Assert.True(policy.IsTensorType(typeof(FakeParameter)));
        Assert.False(policy.IsTensorType(typeof(string)));
        Assert.True(policy.IsUserModuleType(typeof(Subjects.TypedBlock)));
        Assert.True(policy.IsUserModuleType(typeof(Subjects.ChildReadingData)));
        Assert.False(policy.IsUserModuleType(typeof(FakeModule)));
        Assert.False(policy.IsUserModuleType(typeof(FakeTensor)));
    }

    [Fact]
    public void Object_GetHashCode_is_an_identity_call_only_on_a_tensor_receiver()
    {
        var policy = FakePolicy.Instance;
        var getHashCode = typeof(object).GetMethod(nameof(GetHashCode))!;

        Assert.True(policy.IsIdentity(getHashCode, typeof(FakeTensor)));
        Assert.False(policy.IsIdentity(getHashCode, typeof(string)));
        Assert.True(policy.IsIdentity(typeof(RuntimeHelpers).GetMethod(nameof(RuntimeHelpers.GetHashCode), [typeof(object)])!, null));
    }

    [Fact]
    public void A_policy_naming_other_types_changes_what_is_reported()
    {
        var forward = typeof(Subjects.TensorInIf).GetMethod("Forward", BindingFlags.Public | BindingFlags.Instance)!;

        // The real Graphport.Tensor is not involved, so the default policy sees nothing wrong with the fake tensor.
        Assert.Empty(GraphBreakFinder.Find(forward, GraphBreakPolicy.Default));
        Assert.Single(GraphBreakFinder.Find(forward, FakePolicy.Instance));
    }
}
