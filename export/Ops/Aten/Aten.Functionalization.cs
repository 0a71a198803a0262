namespace Graphport;

/// <summary>
/// How tracing records the mutating Core ATen ops whose functional form the generic in-place path cannot derive by
/// name (an out= overload, an op writing two tensors). Wired once all op fields exist.
/// </summary>
internal static partial class Aten
{
    private static void WireFunctionalization()
    {
        // atan2.out(self, other, out=o) traces as atan2(self, other) copied into o.
        Atan2Out.FunctionalVariant = Atan2;
        // normal_ and bernoulli_.float trace as normal_functional and bernoulli.p, as torch functionalizes them.
        Normal_.FunctionalVariant = NormalFunctional;
        BernoulliFloat_.FunctionalVariant = BernoulliP;
        BatchNormLegit.Composite = BatchNormLegitFunctionalized;
    }
}
