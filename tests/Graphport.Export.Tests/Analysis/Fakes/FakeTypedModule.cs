namespace Graphport.Tests.Analysis.Fakes;

/// <summary>
/// Stand-in for the generic Graphport.Module`2, named FakeModule`2 so the policy's one name "…FakeModule" must match
/// it by namespace and name without arity. Forward is abstract here, so the call in Call has no body to follow.
/// </summary>
public abstract class FakeModule<TInput, TOutput>
{
    public abstract TOutput Forward(TInput input);

    public TOutput Call(TInput input) => Forward(input);
}
