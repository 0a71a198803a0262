namespace Graphport.Tests.Cpu;

/// <summary>
/// Tests that need the kernel workers to themselves run alone: a test beside them holding the workers would make their
/// parallel calls run on the calling thread.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class KernelWorkersCollection
{
    public const string Name = "Kernel workers to themselves";
}
