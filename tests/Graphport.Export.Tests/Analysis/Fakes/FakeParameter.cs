namespace Graphport.Tests.Analysis.Fakes;

/// <summary>Stand-in for Graphport.Parameter: a tensor subclass, which the policy must treat as a tensor too.</summary>
public sealed class FakeParameter : FakeTensor;
