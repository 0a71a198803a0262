using Graphport.Analysis;
using Graphport.Tests.Analysis.Subjects;

namespace Graphport.Tests.Analysis;

public sealed class ObjectIdentityTests
{
    private static readonly string Source = HashesIdentity.SourceFile;

    [Fact]
    public void RuntimeHelpers_GetHashCode_is_reported_at_the_call()
    {
        var found = BreakAssert.SingleAt(BreakAssert.FindIn<HashesIdentity>(), GraphBreakKind.ObjectIdentity,
            Source, "identity-hash", "RuntimeHelpers.GetHashCode(x)", "HashesIdentity.Forward");
        Assert.Equal(GraphBreakMessages.ObjectIdentity, found.Message);
    }

    [Fact]
    public void GetHashCode_on_a_tensor_receiver_is_reported()
    {
        BreakAssert.SingleAt(BreakAssert.FindIn<HashesTensor>(), GraphBreakKind.ObjectIdentity,
            Source, "tensor-hash", "x.GetHashCode()", "HashesTensor.Forward");
    }

    [Fact]
    public void ReferenceEquals_is_reported()
    {
        BreakAssert.SingleAt(BreakAssert.FindIn<ComparesReferences>(), GraphBreakKind.ObjectIdentity,
            Source, "reference-equals", "ReferenceEquals(x, y)", "ComparesReferences.Forward");
    }

    [Fact]
    public void GetHashCode_on_a_non_tensor_receiver_is_allowed()
    {
        Assert.Empty(BreakAssert.FindIn<HashesString>());
    }
}
